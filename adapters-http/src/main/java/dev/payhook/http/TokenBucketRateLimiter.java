package dev.payhook.http;

import dev.payhook.domain.RateDecision;
import dev.payhook.domain.RateLimit;
import dev.payhook.domain.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/** A rate limit for this instance alone: a Bucket4j token bucket in memory, refilled evenly over the period. */
public final class TokenBucketRateLimiter implements RateLimiter {

    private final Bucket bucket;

    public TokenBucketRateLimiter(RateLimit limit) {
        this(limit, TimeMeter.SYSTEM_NANOTIME);
    }

    /** With {@code time} as the bucket's clock, for tests that let time pass. */
    TokenBucketRateLimiter(RateLimit limit, TimeMeter time) {
        this.bucket = Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
                .withCustomTimePrecision(time)
                .build();
    }

    @Override
    public RateDecision tryAcquire() {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed()
                ? RateDecision.ALLOWED
                : new RateDecision.Limited(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
