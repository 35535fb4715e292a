package dev.payhook.payment;

import java.time.Duration;
import java.util.Objects;

/**
 * When the circuit breaker in front of a gateway opens and for how long: it opens once at least
 * {@code minimumCalls} of the last {@code window} calls were made and {@code failureRate} of them failed
 * transiently; it stays open for {@code openDuration}, then lets {@code halfOpenCalls} trial calls decide.
 */
public record CircuitBreakerSettings(double failureRate, int window, int minimumCalls, Duration openDuration,
                                     int halfOpenCalls) {

    public static final CircuitBreakerSettings DEFAULT =
            new CircuitBreakerSettings(0.5, 20, 10, Duration.ofSeconds(30), 3);

    public CircuitBreakerSettings {
        Objects.requireNonNull(openDuration, "openDuration");
        if (!(failureRate > 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate must be above 0 and at most 1");
        }
        if (window < 1 || minimumCalls < 1 || minimumCalls > window) {
            throw new IllegalArgumentException("need 1 <= minimumCalls <= window");
        }
        if (openDuration.isNegative() || openDuration.isZero()) {
            throw new IllegalArgumentException("openDuration must be positive");
        }
        if (halfOpenCalls < 1) {
            throw new IllegalArgumentException("halfOpenCalls must be at least 1");
        }
    }
}
