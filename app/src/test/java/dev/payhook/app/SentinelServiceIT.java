package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.redis.testing.LocalRedisSentinel;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The packaged service on Redis Sentinel, configured as docs/redis.md says, and refusing what it cannot use. */
class SentinelServiceIT {

    private static final String DATA_PASSWORD = "Qx7dP4v-Lm2k-d41c";
    private static final String SENTINEL_PASSWORD = "Wz3tR8n-Hb6y-9e2b";

    @Test
    void with_passwords_for_sentinels_and_data_nodes_events_are_paid_and_replayed_and_no_password_is_printed() {
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.startWithPasswords(DATA_PASSWORD, SENTINEL_PASSWORD)) {
            String sentinels = sentinel.sentinelAddresses().stream()
                    .map(address -> "redis://:" + SENTINEL_PASSWORD + "@" + address).collect(Collectors.joining(","));
            try (ServiceProcess service = ServiceProcess.start(Map.of("REDIS_SENTINELS", sentinels,
                    "REDIS_SENTINEL_MASTER", "redis://:" + DATA_PASSWORD + "@" + LocalRedisSentinel.MASTER_NAME))) {
                HttpResponse<String> paid = service.postJson(event("evt_sentinel", 1000));
                HttpResponse<String> replayed = service.postJson(event("evt_sentinel", 1000));

                assertEquals(200, paid.statusCode(), paid.body());
                assertTrue(paid.body().contains("\"status\":\"success\""), paid.body());
                assertEquals(200, replayed.statusCode());
                assertEquals(Optional.of("true"), replayed.headers().firstValue("Idempotent-Replayed"));
                assertEquals(200, service.get("/health/ready").statusCode());
                assertEquals(1.0, service.metric("payment_gateway_seconds_count"));
                assertEquals(2.0, service.metric("idempotency_store_seconds_count", "store=\"redis-sentinel\"",
                        "operation=\"claim\"", "result=\"ok\""));
                Map<String, String> places = Map.of("process output", service.output(),
                        "GET /metrics", service.get("/metrics").body(), "response", paid.body() + replayed.body());
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
