package dev.payhook.payment;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds every charge of another gateway by {@code timeout}, so that a hung provider cannot outlive the
 * claim's lease. A charge that runs out of time has an unknown outcome and is reported as a failure.
 */
public final class TimeLimitedPaymentGateway implements PaymentGateway {

    private final PaymentGateway delegate;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public TimeLimitedPaymentGateway(PaymentGateway delegate, Duration timeout) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public ChargeResult charge(PaymentRequest request) {
        Future<ChargeResult> charge = executor.submit(() -> delegate.charge(request));
        try {
            return charge.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            charge.cancel(true);
            return new ChargeResult.Failed("payment gateway timed out after " + timeout.toMillis() + " ms", true);
        } catch (ExecutionException e) {
            return new ChargeResult.Failed("gateway error: " + e.getCause().getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            charge.cancel(true);
            Thread.currentThread().interrupt();
            return new ChargeResult.Failed("interrupted while waiting for the payment gateway", true);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        delegate.close();
    }
}
