package dev.payhook.payment;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resilience4j circuit breaker in front of another gateway. Answers that leave the outcome open
 * ({@code Unknown}: timeouts, 5xx, lost connections) count against the provider; charges, declines,
 * refusals and requests not attempted do not, because they show a provider that answers (or was not asked). While the breaker is open, charges return {@code NotAttempted} at
 * once without reaching the provider, so the use case releases the claim and the sender is told when to
 * come back. Its state is published as {@code resilience4j_circuitbreaker_state{name,state}}.
 */
public final class CircuitBreakingPaymentGateway implements PaymentGateway {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakingPaymentGateway.class);
    /** Half-open and full: trial calls are in flight and decide within one gateway timeout. */
    private static final Duration TRIAL_RETRY_AFTER = Duration.ofSeconds(1);

    private final PaymentGateway delegate;
    private final CircuitBreakerSettings settings;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final AtomicReference<Instant> openUntil = new AtomicReference<>(Instant.MIN);

    /**
     * @param name    the breaker's name: the {@code name} label of its meters, e.g. the gateway's name
     * @param meters  where the breaker's state, calls and failure rate are published
     */
    public CircuitBreakingPaymentGateway(PaymentGateway delegate, String name, CircuitBreakerSettings settings,
                                         MeterRegistry meters, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindow(settings.window(), settings.minimumCalls(), SlidingWindowType.COUNT_BASED)
                .failureRateThreshold((float) (settings.failureRate() * 100))
                .waitDurationInOpenState(settings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .recordResult(CircuitBreakingPaymentGateway::isTransientFailure)
                .clock(clock)
                .build());
        this.breaker = breakers.circuitBreaker(name);
        breaker.getEventPublisher().onStateTransition(event -> stateChanged(event.getStateTransition().getToState()));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    }

    @Override
    public ChargeResult charge(PaymentRequest request) {
        if (!breaker.tryAcquirePermission()) {
            return new ChargeResult.NotAttempted(
                    "circuit breaker " + breaker.getState().name().toLowerCase(Locale.ROOT)
                            + " after repeated payment gateway failures", retryAfter());
        }
        long started = System.nanoTime();
        try {
            ChargeResult result = delegate.charge(request);
            breaker.onResult(System.nanoTime() - started, TimeUnit.NANOSECONDS, result);
            return result;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    private static boolean isTransientFailure(Object result) {
        return result instanceof ChargeResult.Unknown;
    }

    /** Lookups go through whatever the breaker's state: settling an unknown outcome must not wait for it. */
    @Override
    public LookupResult lookup(PaymentRequest request) {
        return delegate.lookup(request);
    }

    @Override
    public Optional<String> refusal(PaymentRequest request) {
        return delegate.refusal(request);
    }

    @Override
    public Optional<String> problem() {
        return delegate.problem();
    }

    private Duration retryAfter() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return TRIAL_RETRY_AFTER;
        }
        Duration remaining = Duration.between(clock.instant(), openUntil.get());
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private void stateChanged(CircuitBreaker.State state) {
        switch (state) {
            case OPEN -> {
                openUntil.set(clock.instant().plus(settings.openDuration()));
                LOG.atWarn().addKeyValue("breaker", breaker.getName())
                        .addKeyValue("failure_rate", breaker.getMetrics().getFailureRate())
                        .log("payment gateway circuit breaker opened: charges fail fast for {} ms",
                                settings.openDuration().toMillis());
            }
            case HALF_OPEN -> LOG.atInfo().addKeyValue("breaker", breaker.getName())
                    .log("payment gateway circuit breaker half-open: letting {} trial calls through",
                            settings.halfOpenCalls());
            case CLOSED -> LOG.atInfo().addKeyValue("breaker", breaker.getName())
                    .log("payment gateway circuit breaker closed: the provider answers again");
            // DISABLED, FORCED_OPEN and METRICS_ONLY are reached only by hand, which nothing here does.
            default -> {
            }
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
