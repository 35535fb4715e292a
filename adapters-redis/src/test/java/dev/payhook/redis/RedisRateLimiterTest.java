package dev.payhook.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.RateDecision;
import dev.payhook.domain.RateLimit;
import dev.payhook.redis.testing.LocalRedisCluster;
import dev.payhook.redis.testing.LocalRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The cluster-wide limit, counted in a real Redis by limiters standing for separate instances. */
class RedisRateLimiterTest {

    private static final RateLimit FIVE_PER_HOUR = new RateLimit(5, Duration.ofHours(1));

    private static RedisConnection connect(String url) {
        return RedisConnection.open(RedisSettings.defaults(RedisEndpoint.fromUrl(url)));
    }

    @Test
    void instances_on_one_redis_share_one_budget() {
        String prefix = "limit-" + UUID.randomUUID() + ":";
        try (LocalRedisServer redis = LocalRedisServer.start();
             RedisConnection a = connect(redis.url());
             RedisConnection b = connect(redis.url())) {
            RedisRateLimiter first = new RedisRateLimiter(a, prefix, FIVE_PER_HOUR);
            RedisRateLimiter second = new RedisRateLimiter(b, prefix, FIVE_PER_HOUR);

            List<RateDecision> decisions = List.of(first.tryAcquire(), second.tryAcquire(), first.tryAcquire(),
                    second.tryAcquire(), first.tryAcquire(), second.tryAcquire(), first.tryAcquire());

            assertEquals(5, decisions.stream().filter(RateDecision.ALLOWED::equals).count());
            RateDecision.Limited limited = assertInstanceOf(RateDecision.Limited.class, decisions.get(5));
            Duration wait = limited.retryAfter();
            assertTrue(wait.compareTo(Duration.ofMinutes(11)) > 0 && wait.compareTo(Duration.ofMinutes(12)) <= 0,
                    "one permit comes back every 12 minutes, told " + wait);
            try (Jedis jedis = redis.direct()) {
                assertTrue(jedis.exists(first.key()), "the bucket lives in Redis at " + first.key());
            }
        }
    }

    @Test
    void simultaneous_requests_on_a_cluster_never_exceed_the_budget() throws Exception {
        try (LocalRedisCluster cluster = LocalRedisCluster.start();
             RedisConnection connection = RedisConnection.open(
                     RedisSettings.defaults(RedisEndpoint.fromClusterNodes(cluster.nodesVariable())))) {
            RedisRateLimiter limiter = new RedisRateLimiter(connection, "limit:", new RateLimit(10, Duration.ofHours(1)));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RateDecision>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(40)) {
                for (int i = 0; i < 40; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return limiter.tryAcquire();
                    }));
                }
                go.countDown();
                int allowed = 0;
                for (Future<RateDecision> future : futures) {
                    allowed += future.get() == RateDecision.ALLOWED ? 1 : 0;
                }
                assertEquals(10, allowed);
            }
        }
    }

    @Test
    void without_redis_requests_are_let_through() {
        try (LocalRedisServer redis = LocalRedisServer.start(); RedisConnection connection = connect(redis.url())) {
            RedisRateLimiter limiter = new RedisRateLimiter(connection, "limit:", new RateLimit(1, Duration.ofHours(1)));
            assertEquals(RateDecision.ALLOWED, limiter.tryAcquire());
            redis.stop();

            assertEquals(RateDecision.ALLOWED, limiter.tryAcquire());
            assertEquals(RateDecision.ALLOWED, limiter.tryAcquire());
        }
    }
}
