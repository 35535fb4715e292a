package dev.payhook.payment;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most {@code maxConcurrent} charges and lookups in flight to the gateway behind it, per instance. A call
 * beyond that is turned away at once, without waiting: a charge as {@link ChargeResult.NotAttempted} (the
 * claim is released and the sender told to come back), a lookup as {@link LookupResult.Unclear}. This keeps a
 * burst of deliveries from running into the provider's rate limits, or piling up threads behind a slow
 * provider. Calls in flight are published as {@code payment_gateway_in_flight{gateway}}.
 */
public final class BulkheadPaymentGateway implements PaymentGateway {

    /** Calls in flight finish within one gateway timeout; most within milliseconds. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final PaymentGateway delegate;
    private final int maxConcurrent;
    private final Semaphore permits;

    /** @param name the gateway's name, the {@code gateway} label of the in-flight gauge */
    public BulkheadPaymentGateway(PaymentGateway delegate, int maxConcurrent, String name, MeterRegistry meters) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
        Gauge.builder("payment.gateway.in.flight", this, BulkheadPaymentGateway::inFlight)
                .description("Charges and lookups in flight to the payment gateway on this instance; at "
                        + "PAYMENT_MAX_CONCURRENCY further ones are not attempted")
                .tag("gateway", name)
                .register(meters);
    }

    @Override
    public ChargeResult charge(PaymentRequest request) {
        return bounded(() -> delegate.charge(request),
                () -> new ChargeResult.NotAttempted(full(), RETRY_AFTER));
    }

    @Override
    public LookupResult lookup(PaymentRequest request) {
        return bounded(() -> delegate.lookup(request),
                () -> new LookupResult.Unclear(full(), Optional.empty()));
    }

    private <T> T bounded(Supplier<T> call, Supplier<T> whenFull) {
        if (!permits.tryAcquire()) {
            return whenFull.get();
        }
        try {
            return call.get();
        } finally {
            permits.release();
        }
    }

    private String full() {
        return "payment bulkhead full: " + maxConcurrent + " charges in flight (PAYMENT_MAX_CONCURRENCY)";
    }

    /** Calls holding a permit now. */
    int inFlight() {
        return maxConcurrent - permits.availablePermits();
    }

    @Override
    public Optional<String> refusal(PaymentRequest request) {
        return delegate.refusal(request);
    }

    @Override
    public Optional<String> problem() {
        return delegate.problem();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
