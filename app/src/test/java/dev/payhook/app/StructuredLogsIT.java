package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payhook.redis.testing.LocalRedisServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged service's log as an operator reads it: JSON lines with LOG_FORMAT=json, text by default. */
class StructuredLogsIT {

    /** Fails on a field written twice in one line, which log stores refuse. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String REQUEST_LOGGER = "dev.payhook.http.WebhookServer";

    @Test
    void json_logs_are_one_object_per_line_with_each_requests_event_id_outcome_latency_and_request_id()
            throws Exception {
        Map<String, String> requestIds = new LinkedHashMap<>();
        requestIds.put("evt_log_1", "req-log-1");
        requestIds.put("evt_log_2", "req-log-2");
        requestIds.put("evt_log_3", "req-log-3");
        String output;
        try (ServiceProcess service = ServiceProcess.start(Map.of("LOG_FORMAT", "json"))) {
            requestIds.forEach((eventId, requestId) -> assertEquals(200, post(service, eventId, requestId).statusCode()));
            assertEquals(200, post(service, "evt_log_1", "req-log-1-again").statusCode());
            assertEquals(400, service.postJson("{\"event_id\":").statusCode());
            String metrics = service.get("/metrics").body();
            for (String level : List.of("trace", "debug", "info", "warn")) {
                assertTrue(metrics.contains("log_lines_dropped_total{level=\"" + level + "\"} 0.0"), metrics);
            }
            service.terminate();
            output = service.output();
        }

        List<JsonNode> lines = jsonLines(output);
        // Written through the log queue after SIGTERM: the queue is emptied before the process exits.
        assertEquals("stopped", lines.getLast().path("message").asText(), output);
        for (JsonNode line : lines) {
            Instant.parse(line.path("timestamp").asText());
            for (String field : List.of("level", "logger", "thread", "message")) {
                assertFalse(line.path(field).asText().isBlank(), field + " missing in " + line);
            }
        }
        List<JsonNode> requests = lines.stream().filter(line -> line.path("logger").asText().equals(REQUEST_LOGGER)
                && line.has("route")).toList();
        assertEquals(5, requests.size(), "one line per webhook request:\n" + output);
        requestIds.forEach((eventId, requestId) -> {
            JsonNode line = requestLine(requests, requestId);
            assertEquals(eventId, line.path("event_id").asText());
            assertEquals("processed", line.path("outcome").asText());
            assertEquals("INFO", line.path("level").asText());
            assertEquals("POST", line.path("method").asText());
            assertEquals("/webhooks", line.path("route").asText());
            assertEquals(200, line.path("status").asInt());
            assertTrue(line.path("status").isInt() && line.path("duration_ms").isNumber(), line.toString());
            assertTrue(line.path("duration_ms").asDouble() >= 0, line.toString());
        });
        JsonNode replay = requestLine(requests, "req-log-1-again");
        assertEquals("evt_log_1", replay.path("event_id").asText());
        assertEquals("already_processed", replay.path("outcome").asText());
        JsonNode malformed = requests.stream().filter(line -> line.path("status").asInt() == 400).findFirst()
                .orElseThrow();
        assertFalse(malformed.has("event_id"), malformed.toString());
        assertFalse(malformed.path("request_id").asText().isBlank(), malformed.toString());
    }

    @Test
    void refusals_before_routing_log_the_request_id_they_answer_with_and_a_bad_field_logs_its_event_id()
            throws Exception {
        List<HttpResponse<String>> refused = new ArrayList<>();
        HttpResponse<String> badAmount;
        String output;
        try (ServiceProcess service = ServiceProcess.start(Map.of("LOG_FORMAT", "json", "MAX_HEADER_BYTES", "4096"))) {
            refused.add(service.send(HttpRequest.newBuilder(service.uri("/health/live"))
                    .header("X-Padding", "p".repeat(5_000)).GET().build()));
            refused.add(service.get("/health/live?" + "q".repeat(5_000)));
            badAmount = service.send(HttpRequest.newBuilder(service.uri("/webhooks"))
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", "req-bad-amount")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"evt_bad_amount\",\"amount\":10.5}"))
                    .build());
            service.terminate();
            output = service.output();
        }

        List<JsonNode> lines = jsonLines(output);
        assertEquals(List.of(431, 414), refused.stream().map(HttpResponse::statusCode).toList());
        for (HttpResponse<String> response : refused) {
            String requestId = response.headers().firstValue("X-Request-Id")
                    .orElseThrow(() -> new AssertionError("no X-Request-Id on the " + response.statusCode()));
            JsonNode line = lines.stream().filter(candidate -> candidate.path("request_id").asText().equals(requestId))
                    .findFirst().orElseThrow(() -> new AssertionError("no line with " + requestId + ":\n" + output));
            assertEquals("dev.payhook.http.ProblemErrorHandler", line.path("logger").asText(), line.toString());
            assertEquals(response.statusCode(), line.path("status").asInt(), line.toString());
        }
        assertEquals(400, badAmount.statusCode());
        assertTrue(badAmount.body().contains("\"event_id\":\"evt_bad_amount\""), badAmount.body());
        JsonNode line = requestLine(lines, "req-bad-amount");
        assertEquals("evt_bad_amount", line.path("event_id").asText(), line.toString());
        assertEquals("malformed", line.path("rejected").asText(), line.toString());
    }

    @Test
    void no_credential_header_or_request_body_reaches_the_log() throws Exception {
        String output;
        try (ServiceProcess service = ServiceProcess.start(Map.of("LOG_FORMAT", "json"))) {
            HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri("/webhooks"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer sk_live_authorization_value")
                    .header("webhook-signature", "v1,c2lnbmF0dXJlX3ZhbHVl")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"event_id\":\"evt_secret\",\"amount\":1000,\"card\":\"4242424242424242\"}"))
                    .build());
            assertEquals(200, response.statusCode());
            assertEquals(400, service.postJson("{\"event_id\":\"evt_bad\",\"cvc\":\"cvc_value_737\"").statusCode());
            service.terminate();
            output = service.output();
        }

        assertTrue(output.contains("evt_secret"), output);
        for (String secret : List.of("sk_live_authorization_value", "c2lnbmF0dXJlX3ZhbHVl", "4242424242424242",
                "cvc_value_737")) {
            assertFalse(output.contains(secret), secret + " was logged:\n" + output);
        }
    }

    @Test
    void a_warning_logged_while_serving_a_request_carries_its_request_id_and_never_the_redis_password()
            throws Exception {
        String password = "Json-Redis-Pa55-right";
        String wrong = "Json-Redis-Pa55-wrong";
        String output;
        try (LocalRedisServer redis = LocalRedisServer.start("--requirepass", password);
             ServiceProcess service = ServiceProcess.start(
                     Map.of("LOG_FORMAT", "json", "REDIS_URL", "redis://:" + wrong + "@" + redis.address()))) {
            assertEquals(503, post(service, "evt_store_down", "req-store-down").statusCode());
            service.terminate();
            output = service.output();
        }

        List<JsonNode> lines = jsonLines(output);
        JsonNode warning = lines.stream().filter(line -> line.path("level").asText().equals("WARN")
                && line.path("message").asText().contains("nothing was paid")).findFirst()
                .orElseThrow(() -> new AssertionError("no store warning:\n" + output));
        assertEquals("req-store-down", warning.path("request_id").asText(), warning.toString());
        assertTrue(warning.path("message").asText().contains("refused the credentials (WRONGPASS)"), warning.toString());
        assertEquals("authentication", warning.path("kind").asText(), warning.toString());
        JsonNode request = requestLine(lines, "req-store-down");
        assertEquals("evt_store_down", request.path("event_id").asText());
        assertEquals("store_unavailable", request.path("outcome").asText());
        assertEquals(503, request.path("status").asInt());
        assertFalse(output.contains(wrong) || output.contains(password), "a Redis password was logged:\n" + output);
    }

    @Test
    void text_logs_are_readable_lines_by_default() throws Exception {
        String output;
        try (ServiceProcess service = ServiceProcess.start(Map.of())) {
            assertEquals(200, post(service, "evt_text_1", "req-text-1").statusCode());
            service.terminate();
            output = service.output();
        }

        assertTrue(output.lines().anyMatch(line -> line.matches(
                "\\S+ INFO +\\S*WebhookServer - POST /webhooks 200 request_id=\"req-text-1\" .*"
                        + "event_id=\"evt_text_1\" outcome=\"processed\"")), output);
        assertTrue(output.lines().noneMatch(line -> line.startsWith("{")), output);
    }

    private static HttpResponse<String> post(ServiceProcess service, String eventId, String requestId) {
        return service.send(HttpRequest.newBuilder(service.uri("/webhooks"))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"" + eventId + "\",\"amount\":1000}"))
                .build());
    }

    /** Every line of {@code output} as a JSON object; a line that is not one fails the test. */
    private static List<JsonNode> jsonLines(String output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode parsed = JSON.readTree(line);
                assertTrue(parsed.isObject(), "not a JSON object: " + line);
                lines.add(parsed);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not a line of JSON: " + line, e);
            }
        }
        assertFalse(lines.isEmpty(), "no log output");
        return lines;
    }

    /** The request log line (the one naming a route) of the request with {@code requestId}. */
    private static JsonNode requestLine(List<JsonNode> lines, String requestId) {
        return lines.stream().filter(line -> line.has("route") && line.path("request_id").asText().equals(requestId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no request line with request_id " + requestId));
    }
}
