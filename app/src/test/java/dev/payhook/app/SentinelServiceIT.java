package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.redis.RedisAddress;
import dev.payhook.redis.testing.LocalRedisSentinel;
import dev.payhook.redis.testing.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The packaged service on Redis Sentinel, configured as docs/redis.md says (passwords and TLS for sentinels
 * and data nodes apart), and refusing what it cannot use. Plain sentinels without TLS are covered by the
 * failover test.
 */
class SentinelServiceIT {

    private static final String DATA_PASSWORD = "Qx7dP4v-Lm2k-d41c";
    private static final String SENTINEL_PASSWORD = "Wz3tR8n-Hb6y-9e2b";

    @Test
    void over_tls_with_passwords_events_are_paid_and_replayed_a_failover_is_followed_and_no_password_is_printed(
            @TempDir Path dir) {
        TestCertificates certificates = TestCertificates.createIn(dir);
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.startWithTls(certificates, DATA_PASSWORD,
                SENTINEL_PASSWORD)) {
            String sentinels = sentinel.sentinelAddresses().stream()
                    .map(address -> "rediss://:" + SENTINEL_PASSWORD + "@" + address).collect(Collectors.joining(","));
            try (ServiceProcess service = ServiceProcess.start(Map.of("REDIS_SENTINELS", sentinels,
                            "REDIS_SENTINEL_MASTER", "rediss://:" + DATA_PASSWORD + "@" + LocalRedisSentinel.MASTER_NAME),
                    certificates.trustingJvmOptions())) {
                HttpResponse<String> paid = service.postJson(event("evt_sentinel", 1000));
                HttpResponse<String> replayed = service.postJson(event("evt_sentinel", 1000));
                assertEquals(200, paid.statusCode(), paid.body());
                assertTrue(paid.body().contains("\"status\":\"success\""), paid.body());
                assertEquals(Optional.of("true"), replayed.headers().firstValue("Idempotent-Replayed"));
                assertEquals(2.0, service.metric("idempotency_store_seconds_count", "store=\"redis-sentinel\"",
                        "operation=\"claim\"", "result=\"ok\""));

                RedisAddress killed = sentinel.killPrimary();
                sentinel.awaitPromotion(killed, Duration.ofSeconds(20));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (service.get("/health/ready").statusCode() != 200) {
                    assertTrue(System.nanoTime() < deadline, "not ready again within 20 s of the promotion");
                    ServiceProcess.sleep(Duration.ofMillis(100));
                }
                HttpResponse<String> after = service.postJson(event("evt_sentinel_after", 1000));

                assertEquals(200, after.statusCode(), after.body());
                assertEquals(2.0, service.metric("payment_gateway_seconds_count"));
                try (Jedis promoted = sentinel.dataConnection(sentinel.primary())) {
                    assertTrue(promoted.exists("webhook:evt_sentinel_after"), "the record is not on the promoted replica");
                }
                Map<String, String> places = Map.of("process output", service.output(),
                        "GET /metrics", service.get("/metrics").body(), "responses", paid.body() + after.body());
                SecretLeaks.assertAbsent(DATA_PASSWORD, places);
                SecretLeaks.assertAbsent(SENTINEL_PASSWORD, places);
            }
        }
    }

    @Test
    void sentinels_together_with_redis_url_or_cluster_nodes_exit_2_naming_each_conflict_without_passwords()
            throws Exception {
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of(
                "REDIS_SENTINELS", "redis://:" + SENTINEL_PASSWORD + "@127.0.0.1:26379",
                "REDIS_SENTINEL_MASTER", "redis://:" + DATA_PASSWORD + "@mymaster",
                "REDIS_URL", "redis://:" + DATA_PASSWORD + "@127.0.0.1:6379",
                "REDIS_CLUSTER_NODES", "127.0.0.1:7000"))) {
            String output = service.output();

            assertEquals(2, service.exitCode(), output);
            assertTrue(output.contains("REDIS_SENTINELS: set either REDIS_SENTINELS or REDIS_URL, not both"), output);
            assertTrue(output.contains("REDIS_SENTINELS: set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both"),
                    output);
            SecretLeaks.assertAbsent(DATA_PASSWORD, Map.of("process output", output));
            SecretLeaks.assertAbsent(SENTINEL_PASSWORD, Map.of("process output", output));
        }
    }

    @Test
    void when_no_sentinel_answers_at_start_the_service_exits_saying_where_it_looked() throws Exception {
        int nobody = ServiceProcess.freePort();
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of(
                "REDIS_SENTINELS", "redis://:" + SENTINEL_PASSWORD + "@127.0.0.1:" + nobody,
                "REDIS_SENTINEL_MASTER", "mymaster",
                "PORT", Integer.toString(ServiceProcess.freePort())))) {
            String output = service.output();

            assertNotEquals(0, service.exitCode(), output);
            assertTrue(output.contains("could not find the primary of 'mymaster' through the sentinels [127.0.0.1:"
                    + nobody + "]"), output);
            SecretLeaks.assertAbsent(SENTINEL_PASSWORD, Map.of("process output", output));
        }
    }
}
