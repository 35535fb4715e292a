package dev.payhook.domain;

/**
 * Where money is moved. Implementations must honour {@link PaymentRequest#idempotencyKey()}: a repeated
 * request with the same key yields the same payment, never a second one.
 *
 * <p>Business answers and transient trouble are both values of {@link ChargeResult}; an implementation
 * that throws is treated as {@link ChargeResult.Failed}.
 */
public interface PaymentGateway extends AutoCloseable {

    ChargeResult charge(PaymentRequest request);

    @Override
    default void close() {
    }
}
