package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets never leave the process: not in its logs, its configuration errors, its HTTP responses or its metrics.
 * Each test gathers everything a place shows and hands it to {@link SecretLeaks}; a new kind of secret (a Redis
 * password, a payment API key) gets a test of its own in the same shape.
 */
class SecretLeakIT {

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void webhook_secrets_never_appear_in_logs_responses_or_metrics(String logFormat) {
        String current = StandardSender.newSecret();
        String next = StandardSender.newSecret();
        Map<String, String> seen = new LinkedHashMap<>();
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "WEBHOOK_SECRETS", current + "," + next, "LOG_FORMAT", logFormat, "RATE_LIMIT", "6/1h"))) {
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

    @Test
    void webhook_secrets_never_appear_in_configuration_errors() throws Exception {
        String valid = StandardSender.newSecret();
        String notBase64 = "whsec_" + SecretLeaks.keyOf(StandardSender.newSecret()).replace('+', '!').concat("!#");
        String unprefixed = SecretLeaks.keyOf(StandardSender.newSecret());
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of(
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
    void the_leak_check_finds_a_secret_cut_short() {
        String secret = SecretLeaks.keyOf(StandardSender.newSecret());

        assertTrue(SecretLeaks.findIn("value was '" + secret.substring(0, 10) + "…'", secret).isPresent());
        assertFalse(SecretLeaks.findIn("value was 'whsec_(redacted)'", secret).isPresent());
    }
}
