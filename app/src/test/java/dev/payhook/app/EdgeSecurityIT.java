package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.redis.testing.RedisHarness;
import dev.payhook.redis.testing.RedisServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The acceptance checks of webhook edge security, run against the packaged jar as a separate process. */
class EdgeSecurityIT {

    private static final String EVENT = "{\"event_id\":\"evt_signed\",\"amount\":1000}";

    @Test
    void a_standard_signature_is_accepted_and_a_changed_byte_an_old_timestamp_or_a_stranger_is_refused() {
        String secret = StandardSender.newSecret();
        StandardSender sender = new StandardSender(secret);
        try (ServiceProcess service = ServiceProcess.start(Map.of("WEBHOOK_SECRETS", secret))) {
            Instant now = Instant.now();

            HttpResponse<String> genuine = service.send(sender.signed(service.uri("/webhooks"), "evt_signed", now, EVENT));
            HttpResponse<String> changedByte = service.send(sender.tampered(service.uri("/webhooks"), "evt_changed",
                    now, "{\"event_id\":\"evt_changed\",\"amount\":1000}", "{\"event_id\":\"evt_changed\",\"amount\":1001}"));
            HttpResponse<String> sixMinutesOld = service.send(sender.signed(service.uri("/webhooks"), "evt_old",
                    now.minus(Duration.ofMinutes(6)), "{\"event_id\":\"evt_old\",\"amount\":1000}"));
            HttpResponse<String> stranger = service.send(new StandardSender(StandardSender.newSecret())
                    .signed(service.uri("/webhooks"), "evt_stranger", now, "{\"event_id\":\"evt_stranger\",\"amount\":1}"));
            HttpResponse<String> unsigned = service.postJson("{\"event_id\":\"evt_unsigned\",\"amount\":1}");

            assertEquals(200, genuine.statusCode(), genuine.body());
            assertEquals("{\"status\":\"success\",\"transaction_id\":\"txn_1000\"}", genuine.body());
            for (HttpResponse<String> refused : List.of(changedByte, sixMinutesOld, stranger, unsigned)) {
                assertEquals(401, refused.statusCode(), refused.body());
                assertEquals(Optional.of("application/problem+json"), refused.headers().firstValue("Content-Type"));
            }
            assertEquals(1.0, service.metric("payment_gateway_seconds_count"));
            assertEquals(4.0, service.metric("webhook_rejected_requests_total", "reason=\"signature\""));
            assertEquals(2.0, service.metric("webhook_signature_failures_total", "reason=\"no_matching_signature\""));
            assertEquals(1.0, service.metric("webhook_signature_failures_total", "reason=\"expired\""));
            assertEquals(1.0, service.metric("webhook_signature_failures_total", "reason=\"missing_headers\""));
            assertTrue(service.output().contains("webhook signatures required: 1 secret(s)"), service.output());
        }
    }

    @Test
    void after_adding_a_second_secret_requests_signed_with_either_are_accepted() {
        String current = StandardSender.newSecret();
        String next = StandardSender.newSecret();
        try (ServiceProcess service = ServiceProcess.start(Map.of("WEBHOOK_SECRETS", current + "," + next))) {
            Instant now = Instant.now();

            HttpResponse<String> withCurrent = service.send(new StandardSender(current)
                    .signed(service.uri("/webhooks"), "evt_current", now, "{\"amount\":100}"));
            HttpResponse<String> withNext = service.send(new StandardSender(next)
                    .signed(service.uri("/webhooks"), "evt_next", now, "{\"amount\":200}"));

            assertEquals(200, withCurrent.statusCode(), withCurrent.body());
            assertEquals(200, withNext.statusCode(), withNext.body());
            assertEquals(2.0, service.metric("payment_gateway_seconds_count", "result=\"charged\""));
        }
    }

    @Test
    void over_the_configured_rate_the_answer_is_429_with_retry_after() {
        try (ServiceProcess service = ServiceProcess.start(Map.of("RATE_LIMIT", "3/1h"))) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> under = service.postJson("{\"event_id\":\"evt_r" + i + "\",\"amount\":10}");
                assertEquals(200, under.statusCode(), under.body());
            }

            HttpResponse<String> over = service.postJson("{\"event_id\":\"evt_r3\",\"amount\":10}");

            assertEquals(429, over.statusCode(), over.body());
            assertEquals(Optional.of("application/problem+json"), over.headers().firstValue("Content-Type"));
            long retryAfter = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 1100 && retryAfter <= 1200, "Retry-After " + retryAfter);
            assertEquals(3.0, service.metric("payment_gateway_seconds_count"));
            assertEquals(1.0, service.metric("webhook_rejected_requests_total", "reason=\"rate_limited\""));
        }
    }

    @Test
    void a_cluster_wide_rate_is_shared_by_instances_on_one_redis() {
        try (RedisServer redis = RedisHarness.standalone()) {
            Map<String, String> env = Map.of("REDIS_URL", redis.url(), "CLUSTER_RATE_LIMIT", "4/1h",
                    "IDEMPOTENCY_KEY_PREFIX", "shared-limit-" + UUID.randomUUID() + ":");
            try (ServiceProcess a = ServiceProcess.start(env); ServiceProcess b = ServiceProcess.start(env)) {
                int accepted = 0;
                for (int i = 0; i < 4; i++) {
                    ServiceProcess target = i % 2 == 0 ? a : b;
                    HttpResponse<String> under = target.postJson("{\"event_id\":\"evt_s" + i + "\",\"amount\":10}");
                    accepted += under.statusCode() == 200 ? 1 : 0;
                }
                HttpResponse<String> overOnA = a.postJson("{\"event_id\":\"evt_s4\",\"amount\":10}");
                HttpResponse<String> overOnB = b.postJson("{\"event_id\":\"evt_s5\",\"amount\":10}");

                assertEquals(4, accepted);
                for (HttpResponse<String> over : List.of(overOnA, overOnB)) {
                    assertEquals(429, over.statusCode(), over.body());
                    long retryAfter = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
                    assertTrue(retryAfter > 800 && retryAfter <= 900, "Retry-After " + retryAfter);
                }
                assertEquals(4.0, a.metric("payment_gateway_seconds_count") + b.metric("payment_gateway_seconds_count"));
                assertTrue(a.output().contains("rate limit shared by all instances through Redis"), a.output());
            }
        }
    }

    @Test
    void without_secrets_it_runs_unsigned_and_says_so_loudly() {
        try (ServiceProcess service = ServiceProcess.start(Map.of())) {
            assertEquals(200, service.postJson(EVENT).statusCode());
            assertTrue(service.output().contains("WEBHOOK SIGNATURES ARE OFF"), service.output());
            assertTrue(service.output().contains(" WARN "), service.output());
        }
    }

    @Test
    void requiring_signatures_without_secrets_refuses_to_start() throws Exception {
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of("REQUIRE_SIGNATURES", "true"))) {
            assertEquals(2, service.exitCode());
            assertTrue(service.output().contains("REQUIRE_SIGNATURES: is true but WEBHOOK_SECRETS is not set"),
                    service.output());
        }
    }

    @Test
    void headers_over_the_configured_size_get_431_as_a_problem() {
        try (ServiceProcess service = ServiceProcess.start(Map.of("MAX_HEADER_BYTES", "2048"))) {
            HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri("/webhooks"))
                    .header("Content-Type", "application/json")
                    .header("X-Padding", "p".repeat(3_000))
                    .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build());

            assertEquals(431, response.statusCode(), response.body());
            assertEquals(Optional.of("application/problem+json"), response.headers().firstValue("Content-Type"));
            assertEquals(0.0, service.metric("payment_gateway_seconds_count"));
        }
    }
}
