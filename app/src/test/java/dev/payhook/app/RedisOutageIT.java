package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.redis.testing.LocalRedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the packaged service does while its Redis is down, slow, or refuses its password. */
class RedisOutageIT {

    @Test
    void while_redis_is_down_requests_get_503_and_nothing_is_paid_then_it_heals_by_itself() {
        try (LocalRedisServer redis = LocalRedisServer.start();
             ServiceProcess service = ServiceProcess.start(Map.of("REDIS_URL", redis.url()))) {
            assertEquals(200, service.postJson(event("evt_before", 100)).statusCode());

            redis.stop();
            HttpResponse<String> during = service.postJson(event("evt_during", 100));
            assertEquals(503, during.statusCode(), during.body());
            assertEquals(Optional.of("application/problem+json"), during.headers().firstValue("Content-Type"));
            assertTrue(during.headers().firstValue("Retry-After").isPresent());
            assertEquals(503, service.get("/health/ready").statusCode());
            assertEquals(200, service.get("/health/live").statusCode());
            assertEquals(1.0, service.metric("payment_gateway_seconds_count"), "no payment while the store is down");

            redis.restart();
            long healed = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (service.get("/health/ready").statusCode() != 200) {
                assertTrue(System.nanoTime() < healed, "readiness did not recover within 10 s");
                ServiceProcess.sleep(Duration.ofMillis(200));
            }
            assertEquals(200, service.postJson(event("evt_after", 100)).statusCode());
            assertFalse(service.output().contains("Exception in thread"), service.output());
        }
    }

    @Test
    void a_redis_that_stops_answering_gives_503_within_the_command_timeout_not_a_hung_request() {
        try (LocalRedisServer redis = LocalRedisServer.start();
             ServiceProcess service = ServiceProcess.start(
                     Map.of("REDIS_URL", redis.url(), "REDIS_COMMAND_TIMEOUT", "800ms"))) {
            assertEquals(200, service.postJson(event("evt_warm", 100)).statusCode());
            redis.freeze();
            try {
                long started = System.nanoTime();
                HttpResponse<String> response = service.postJson(event("evt_slow", 100));
                long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

                assertEquals(503, response.statusCode(), response.body());
                // One command timeout and the HTTP round trip; twice the timeout would not fit.
                assertTrue(tookMillis < 1_500, "took " + tookMillis + " ms");
                assertEquals(1.0, service.metric("payment_gateway_seconds_count"));
            } finally {
                redis.thaw();
            }
        }
    }

    @Test
    void a_wrong_redis_password_gives_503_and_the_password_appears_nowhere() {
        String password = "Redis-Pa55-right";
        String wrong = "Redis-Pa55-wrong";
        try (LocalRedisServer redis = LocalRedisServer.start("--requirepass", password);
             ServiceProcess service = ServiceProcess.start(
                     Map.of("REDIS_URL", "redis://:" + wrong + "@" + redis.address()))) {
            HttpResponse<String> response = service.postJson(event("evt_auth", 100));
            HttpResponse<String> ready = service.get("/health/ready");
            String metrics = service.get("/metrics").body();

            assertEquals(503, response.statusCode());
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"reason\":\"the idempotency store refused the credentials\""), ready.body());
            assertTrue(service.output().contains("Redis refused the credentials (WRONGPASS)"), service.output());
            for (String text : new String[]{response.body(), ready.body(), metrics, service.output()}) {
                assertFalse(text.contains(wrong), "the password leaked");
            }
        }
    }

    @Test
    void an_invalid_redis_url_is_a_configuration_error_that_does_not_print_it() throws Exception {
        try (ServiceProcess service = ServiceProcess.runToExit(
                Map.of("REDIS_URL", "http://admin:Leaky-Pa55@cache:6379"))) {
            assertEquals(2, service.exitCode());
            assertTrue(service.output().contains("REDIS_URL"), service.output());
            assertFalse(service.output().contains("Leaky-Pa55"), service.output());
        }
    }
}
