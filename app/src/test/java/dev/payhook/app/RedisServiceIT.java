package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.redis.RedisAddress;
import dev.payhook.redis.testing.LocalRedisCluster;
import dev.payhook.redis.testing.RedisHarness;
import dev.payhook.redis.testing.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/** The packaged service on a real Redis and on a real Redis Cluster, as docs/redis.md says. */
class RedisServiceIT {

    private static final Duration SUCCESS_TTL = Duration.ofHours(2);

    @Test
    void on_redis_records_keep_the_original_key_and_their_ttl_and_a_second_instance_replays() {
        try (RedisServer redis = RedisHarness.standalone();
             Jedis jedis = redis.direct()) {
            checkKeysTtlsAndReplay(Map.of("REDIS_URL", redis.url()), jedis::pttl);
        }
    }

    @Test
    void on_a_redis_cluster_records_keep_the_original_key_and_their_ttl_and_a_second_instance_replays() {
        try (LocalRedisCluster cluster = LocalRedisCluster.start();
             RedisClusterClient client = RedisClusterClient.create(hostsAndPorts(cluster))) {
            checkKeysTtlsAndReplay(Map.of("REDIS_CLUSTER_NODES", cluster.nodesVariable()), client::pttl);
        }
    }

    private static void checkKeysTtlsAndReplay(Map<String, String> redis, ToLongFunction<String> pttl) {
        String paid = "evt_" + UUID.randomUUID();
        String unknown = "evt_" + UUID.randomUUID();
        try (ServiceProcess first = ServiceProcess.start(with(redis, "SUCCESS_TTL", "2h"));
             ServiceProcess failing = ServiceProcess.start(with(redis, "SUCCESS_TTL", "2h",
                     "RECONCILE_AFTER", "10m", "SIMULATED_FAILURE_RATE", "1"))) {
            assertEquals(200, first.postJson(event(paid, 1000)).statusCode());
            HttpResponse<String> open = failing.postJson(event(unknown, 500));
            assertEquals(503, open.statusCode(), open.body());
            assertTrue(open.body().contains("payment-outcome-unknown"), open.body());

            // Both a payment and an open outcome are kept for SUCCESS_TTL: the open one may still be a payment.
            assertTtlNear(SUCCESS_TTL, pttl.applyAsLong("webhook:" + paid));
            assertTtlNear(SUCCESS_TTL, pttl.applyAsLong("webhook:" + unknown));

            try (ServiceProcess second = ServiceProcess.start(with(redis, "RECONCILE_AFTER", "10m"))) {
                HttpResponse<String> replay = second.postJson(event(paid, 1000));
                assertEquals(200, replay.statusCode());
                assertEquals("{\"status\":\"already_processed\",\"event_id\":\"" + paid
                        + "\",\"transaction_id\":\"txn_1000\"}", replay.body());
                assertEquals(Optional.of("true"), replay.headers().firstValue("Idempotent-Replayed"));
                HttpResponse<String> turnedAway = second.postJson(event(unknown, 500));
                assertEquals(503, turnedAway.statusCode());
                long retryAfter = Long.parseLong(turnedAway.headers().firstValue("Retry-After").orElseThrow());
                assertTrue(retryAfter > 500 && retryAfter <= 600, "Retry-After " + retryAfter);
                assertEquals(0.0, second.metric("payment_gateway_seconds_count"));
                assertEquals(200, second.get("/health/ready").statusCode());
            }
        }
    }

    static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> env = new java.util.HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    static String event(String id, long amount) {
        return "{\"event_id\":\"" + id + "\",\"amount\":" + amount + "}";
    }

    private static void assertTtlNear(Duration expected, long pttlMillis) {
        assertTrue(pttlMillis > expected.minusSeconds(1).toMillis() && pttlMillis <= expected.toMillis(),
                "PTTL " + pttlMillis + " ms, expected within a second of " + expected);
    }

    private static Set<HostAndPort> hostsAndPorts(LocalRedisCluster cluster) {
        Set<HostAndPort> nodes = new HashSet<>();
        for (RedisAddress seed : cluster.seeds()) {
            nodes.add(new HostAndPort(seed.host(), seed.port()));
        }
        return nodes;
    }
}
