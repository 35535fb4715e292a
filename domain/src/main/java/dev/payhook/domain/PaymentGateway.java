package dev.payhook.domain;

import java.util.Optional;

/**
 * Where money is moved. Implementations must honour {@link PaymentRequest#idempotencyKey()}: a repeated
 * request with the same key yields the same payment, never a second one.
 *
 * <p>Business answers and technical trouble are both values; an implementation that throws from
 * {@link #charge} is treated as {@link ChargeResult.Unknown}, from {@link #lookup} as
 * {@link LookupResult.Unclear}.
 */
public interface PaymentGateway extends AutoCloseable {

    /** Charges {@code request}'s amount under its idempotency key. */
    ChargeResult charge(PaymentRequest request);

    /**
     * Finds what earlier attempts for {@code request}'s event did at the provider, whatever their keys,
     * so that an unknown outcome is settled before any new charge.
     */
    LookupResult lookup(PaymentRequest request);

    /**
     * Why this provider would refuse {@code request} as invalid (an amount below its minimum, a currency it
     * does not take), checked before anything is recorded or sent; empty when it may be charged.
     */
    default Optional<String> refusal(PaymentRequest request) {
        return Optional.empty();
    }

    /** A condition that stops every charge (the provider refused the credentials), for readiness; else empty. */
    default Optional<String> problem() {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
