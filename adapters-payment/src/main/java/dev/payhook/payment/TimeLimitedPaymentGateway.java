package dev.payhook.payment;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Bounds every charge and lookup of another gateway by {@code timeout}, so that a hung provider cannot
 * outlive the claim's lease. A charge that runs out of time may have been made: its outcome is unknown.
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
        return bounded(() -> delegate.charge(request),
                problem -> new ChargeResult.Unknown(problem));
    }

    @Override
    public LookupResult lookup(PaymentRequest request) {
        return bounded(() -> delegate.lookup(request),
                problem -> new LookupResult.Unclear(problem, Optional.empty()));
    }

    @Override
    public Optional<String> refusal(PaymentRequest request) {
        return delegate.refusal(request);
    }

    @Override
    public Optional<String> problem() {
        return delegate.problem();
    }

    private <T> T bounded(Callable<T> call, Function<String, T> whenUnanswered) {
        Future<T> answer = executor.submit(call);
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return whenUnanswered.apply("payment gateway timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return whenUnanswered.apply("gateway error: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return whenUnanswered.apply("interrupted while waiting for the payment gateway");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        delegate.close();
    }
}
