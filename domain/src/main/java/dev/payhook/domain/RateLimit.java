package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * A request rate: at most {@code requests} in any {@code period}, refilled evenly, so that up to
 * {@code requests} may arrive at once after a quiet spell.
 */
public record RateLimit(long requests, Duration period) {

    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be at least 1");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive");
        }
    }
}
