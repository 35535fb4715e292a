package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;

/** What a {@link RateLimiter} made of one request. */
public sealed interface RateDecision {

    RateDecision ALLOWED = new Allowed();

    /** The request may go on; it took one permit. */
    record Allowed() implements RateDecision {
    }

    /** The limit is reached; a permit will be free again after {@code retryAfter}. */
    record Limited(Duration retryAfter) implements RateDecision {
        public Limited {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative");
            }
        }
    }
}
