package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.payment.fixtures.StripeStandIn;
import dev.payhook.redis.testing.LocalRedisServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets never leave the process: not in its logs, its configuration errors, its HTTP responses or its metrics.
 * Each test gathers everything a place shows and hands it to {@link SecretLeaks}; a new kind of secret gets tests
 * of its own in the same shape.
 */
class SecretLeakIT {

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void webhook_secrets_never_appear_in_logs_responses_or_metrics(String logFormat) {
        String current = StandardSender.newSecret();
        String next = StandardSender.newSecret();
        Map<String, String> seen = new LinkedHashMap<>();
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                // Only the three correctly signed requests before evt_limited spend the budget.
                "WEBHOOK_SECRETS", current + "," + next, "LOG_FORMAT", logFormat, "RATE_LIMIT", "3/1h"))) {
            Instant now = Instant.now();
            StandardSender sender = new StandardSender(current);
            List<HttpRequest> requests = new ArrayList<>(List.of(
                    sender.signed(service.uri("/webhooks"), "evt_leak", now, "{\"amount\":1}"),
                    sender.signed(service.uri("/webhooks"), "evt_leak", now, "{\"amount\":1}"),
                    sender.signed(service.uri("/webhooks"), "evt_stale", now.minus(Duration.ofHours(1)), "{\"amount\":1}"),
                    sender.tampered(service.uri("/webhooks"), "evt_bad", now, "{\"amount\":1}", "{\"amount\":2}"),
                    sender.signed(service.uri("/webhooks"), "evt_bad_body", now, "{\"amount\":"),
                    HttpRequest.newBuilder(service.uri("/webhooks")).header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    sender.signed(service.uri("/webhooks"), "evt_limited", now, "{\"amount\":3}"),
                    HttpRequest.newBuilder(service.uri("/nowhere")).GET().build(),
                    HttpRequest.newBuilder(service.uri("/health/ready")).GET().build()));
            for (HttpRequest request : requests) {
                HttpResponse<String> response = service.send(request);
                seen.put("response to " + request.method() + " " + request.uri().getPath() + " (" + response.statusCode()
                        + ")#" + seen.size(), response.headers().map() + "\n" + response.body());
            }
            seen.put("GET /metrics", service.get("/metrics").body());
            assertEquals(1.0, service.metric("webhook_rejected_requests_total", "reason=\"rate_limited\""));
            seen.put("process output", service.output());
        }

        SecretLeaks.assertAbsent(SecretLeaks.keyOf(current), seen);
        SecretLeaks.assertAbsent(SecretLeaks.keyOf(next), seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void webhook_secrets_never_appear_in_configuration_errors(String logFormat) throws Exception {
        String valid = StandardSender.newSecret();
        String notBase64 = "whsec_" + SecretLeaks.keyOf(StandardSender.newSecret()).replace('+', '!').concat("!#");
        String unprefixed = SecretLeaks.keyOf(StandardSender.newSecret());
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of("LOG_FORMAT", logFormat,
                "WEBHOOK_SECRETS", valid + "," + notBase64 + "," + unprefixed, "PORT", "not-a-port"))) {
            assertEquals(2, service.exitCode());
            String output = service.output();
            for (String secret : List.of(valid, notBase64, unprefixed)) {
                SecretLeaks.assertAbsent(SecretLeaks.keyOf(secret), Map.of("configuration error output", output));
            }
            assertTrue(output.contains("WEBHOOK_SECRETS: secret 2 of 3"), output);
            assertTrue(output.contains("PORT: "), output);
        }
    }

    @Test
    void redis_passwords_never_appear_in_logs_responses_or_metrics() {
        String password = "Pw" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> seen = new LinkedHashMap<>();
        try (LocalRedisServer redis = LocalRedisServer.start("--requirepass", password)) {
            String address = "127.0.0.1:" + redis.port();
            try (ServiceProcess right = ServiceProcess.start(Map.of("REDIS_URL", "redis://:" + password + "@" + address));
                 ServiceProcess wrong = ServiceProcess.start(Map.of(
                         "REDIS_URL", "redis://:" + password + "-but-wrong@" + address, "LOG_FORMAT", "json"))) {
                for (ServiceProcess service : List.of(right, wrong)) {
                    String name = service == right ? "right password" : "wrong password";
                    HttpResponse<String> paid = service.postJson("{\"event_id\":\"evt_pw\",\"amount\":5}");
                    HttpResponse<String> ready = service.get("/health/ready");
                    seen.put(name + ": POST /webhooks (" + paid.statusCode() + ")", paid.headers().map() + paid.body());
                    seen.put(name + ": GET /health/ready (" + ready.statusCode() + ")", ready.body());
                    seen.put(name + ": GET /metrics", service.get("/metrics").body());
                }
                assertEquals(503, wrong.get("/health/ready").statusCode());
                assertEquals(200, right.get("/health/ready").statusCode());
                seen.put("right password: process output", right.output());
                seen.put("wrong password: process output", wrong.output());
            }
        }

        SecretLeaks.assertAbsent(password, seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void redis_passwords_never_appear_in_configuration_errors(String logFormat) throws Exception {
        String password = "Pw" + UUID.randomUUID().toString().replace("-", "");
        for (Map<String, String> environment : List.of(
                Map.of("REDIS_URL", "redis://:" + password + "@127.0.0.1:not-a-port", "PORT", "x",
                        "LOG_FORMAT", logFormat),
                Map.of("REDIS_URL", "redis://user:" + password + "@127.0.0.1:6379", "SUCCESS_TTL", "forever",
                        "LOG_FORMAT", logFormat),
                Map.of("REDIS_CLUSTER_NODES", "127.0.0.1:7000", "REDIS_URL", "redis://:" + password + "@h:1",
                        "LOG_FORMAT", logFormat))) {
            try (ServiceProcess service = ServiceProcess.runToExit(environment)) {
                assertEquals(2, service.exitCode(), service.output());
                SecretLeaks.assertAbsent(password, Map.of("configuration error output", service.output()));
            }
        }
    }

    @Test
    void stripe_api_keys_never_appear_in_logs_responses_or_metrics() {
        String key = SecretLeaks.keyOf(StripeStandIn.API_KEY);
        Map<String, String> seen = new LinkedHashMap<>();
        try (StripeStandIn stripe = StripeStandIn.start();
             ServiceProcess service = ServiceProcess.start(StripeEnvironment.of(stripe))) {
            stripe.createsPaymentIntents();
            HttpResponse<String> paid = service.postJson("{\"event_id\":\"evt_key_1\",\"amount\":100}");
            stripe.fails(401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided");
            HttpResponse<String> refused = service.postJson("{\"event_id\":\"evt_key_2\",\"amount\":100}");

            assertEquals(200, paid.statusCode(), paid.body());
            assertTrue(refused.statusCode() >= 500, refused.body());
            seen.put("POST /webhooks paid", paid.headers().map() + paid.body());
            seen.put("POST /webhooks refused by Stripe", refused.headers().map() + refused.body());
            seen.put("GET /metrics", service.get("/metrics").body());
            seen.put("process output", service.output());
        }

        SecretLeaks.assertAbsent(key, seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void stripe_api_keys_never_appear_in_configuration_errors(String logFormat) throws Exception {
        String valid = "sk_test_" + UUID.randomUUID().toString().replace("-", "");
        String publishable = "pk_test_" + UUID.randomUUID().toString().replace("-", "");
        for (Map<String, String> environment : List.of(
                Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", valid, "PORT", "x", "LOG_FORMAT", logFormat),
                Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", publishable, "LOG_FORMAT", logFormat))) {
            try (ServiceProcess service = ServiceProcess.runToExit(environment)) {
                assertEquals(2, service.exitCode(), service.output());
                SecretLeaks.assertAbsent(SecretLeaks.keyOf(valid), Map.of("configuration error output", service.output()));
                SecretLeaks.assertAbsent(SecretLeaks.keyOf(publishable),
                        Map.of("configuration error output", service.output()));
            }
        }
    }

    @Test
    void the_leak_check_finds_a_secret_cut_short() {
        String secret = SecretLeaks.keyOf(StandardSender.newSecret());

        assertTrue(SecretLeaks.findIn("value was '" + secret.substring(0, 10) + "…'", secret).isPresent());
        assertFalse(SecretLeaks.findIn("value was 'whsec_(redacted)'", secret).isPresent());
    }
}
