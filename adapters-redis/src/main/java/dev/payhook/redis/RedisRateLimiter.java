package dev.payhook.redis;

import dev.payhook.domain.RateDecision;
import dev.payhook.domain.RateLimit;
import dev.payhook.domain.RateLimiter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rate limit shared by every instance on one Redis or Redis Cluster: one Bucket4j token bucket kept
 * in a single key and updated by compare-and-swap. When Redis cannot be reached it lets requests
 * through, as the port asks: the idempotency store refuses them anyway while Redis is down.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    private final BucketProxy bucket;
    private final String key;

    /**
     * @param keyPrefix the idempotency key prefix; the bucket lives at {@code <prefix> rate-limit}, a key no
     *                  event can have, since event ids hold no spaces
     */
    public RedisRateLimiter(RedisConnection connection, String keyPrefix, RateLimit limit) {
        this.key = keyPrefix + " rate-limit";
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
                .build();
        this.bucket = Bucket4jJedis.casBasedBuilder(connection.client())
                // A full bucket needs no key: Redis drops it once it would have refilled completely.
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                .build()
                .builder()
                .build(key.getBytes(StandardCharsets.UTF_8), () -> configuration);
    }

    @Override
    public RateDecision tryAcquire() {
        try {
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            return probe.isConsumed()
                    ? RateDecision.ALLOWED
                    : new RateDecision.Limited(Duration.ofNanos(probe.getNanosToWaitForRefill()));
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("key", key).log("shared rate limit unavailable, letting the request through: {}",
                    e.getClass().getSimpleName());
            return RateDecision.ALLOWED;
        }
    }

    String key() {
        return key;
    }
}
