package dev.payhook.http;

import static dev.payhook.http.WebhookEndpointTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidationTest {

    private final RunningServer server = new RunningServer();

    @AfterEach
    void noBadRequestReachedTheStoreOrTheGateway() {
        try {
            assertEquals(0, server.gateway.calls(), "gateway calls");
            assertEquals(0, server.store.calls.get(), "store calls");
        } finally {
            server.close();
        }
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"event_id\":\"evt_1\",\"amount\":", null),
                Arguments.of("empty body", "", null),
                Arguments.of("not an object", "[{\"event_id\":\"evt_1\",\"amount\":1}]", null),
                Arguments.of("trailing content", "{\"event_id\":\"evt_1\",\"amount\":1} {}", null),
                Arguments.of("duplicate key", "{\"event_id\":\"evt_1\",\"amount\":1,\"amount\":2}", null),
                Arguments.of("missing amount", "{\"event_id\":\"evt_1\"}", "amount"),
                Arguments.of("null amount", "{\"event_id\":\"evt_1\",\"amount\":null}", "amount"),
                Arguments.of("fractional amount", "{\"event_id\":\"evt_1\",\"amount\":10.5}", "amount"),
                Arguments.of("amount with a fraction of zero", "{\"event_id\":\"evt_1\",\"amount\":1000.0}", "amount"),
                Arguments.of("exponent amount", "{\"event_id\":\"evt_1\",\"amount\":1e3}", "amount"),
                Arguments.of("string amount", "{\"event_id\":\"evt_1\",\"amount\":\"1000\"}", "amount"),
                Arguments.of("negative amount", "{\"event_id\":\"evt_1\",\"amount\":-1}", "amount"),
                Arguments.of("zero amount", "{\"event_id\":\"evt_1\",\"amount\":0}", "amount"),
                Arguments.of("amount above 2^63-1", "{\"event_id\":\"evt_1\",\"amount\":9223372036854775808}", "amount"),
                Arguments.of("boolean amount", "{\"event_id\":\"evt_1\",\"amount\":true}", "amount"),
                Arguments.of("missing event_id", "{\"amount\":1000}", "event_id"),
                Arguments.of("empty event_id", "{\"event_id\":\"\",\"amount\":1000}", "event_id"),
                Arguments.of("256-character event_id", "{\"event_id\":\"" + "e".repeat(256) + "\",\"amount\":1000}",
                        "event_id"),
                Arguments.of("event_id with a space", "{\"event_id\":\"evt 1\",\"amount\":1000}", "event_id"),
                Arguments.of("non-ASCII event_id", "{\"event_id\":\"évt\",\"amount\":1000}", "event_id"),
                Arguments.of("numeric event_id", "{\"event_id\":123,\"amount\":1000}", "event_id"),
                Arguments.of("bad currency", "{\"event_id\":\"evt_1\",\"amount\":1000,\"currency\":\"DOLLARS\"}",
                        "currency"),
                Arguments.of("deep nesting", "{\"event_id\":\"evt_1\",\"amount\":1,\"x\":" + "[".repeat(40)
                        + "]".repeat(40) + "}", null),
                Arguments.of("string over the length limit", "{\"event_id\":\"evt_1\",\"amount\":1,\"note\":\""
                        + "n".repeat(16_385) + "\"}", null),
                Arguments.of("number over the length limit", "{\"event_id\":\"evt_1\",\"amount\":1"
                        + "0".repeat(40) + "}", null),
                Arguments.of("field name over the length limit", "{\"event_id\":\"evt_1\",\"amount\":1,\""
                        + "k".repeat(1_025) + "\":0}", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void an_invalid_body_is_a_400_problem_naming_the_field(String ignoredCase, String body, String field) {
        HttpResponse<String> response = server.postJson(body);

        assertProblem(response, 400, "invalid-request");
        if (field != null) {
            assertEquals(field, Json.parse(response.body()).get("field").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "fractional amount|{\"event_id\":\"evt_7\",\"amount\":10.5}|amount",
            "zero amount|{\"amount\":0,\"event_id\":\"evt_7\"}|amount",
            "missing amount|{\"event_id\":\"evt_7\"}|amount",
            "unknown currency|{\"event_id\":\"evt_7\",\"amount\":1,\"currency\":\"XYZ\"}|currency",
            "currency of the wrong type|{\"event_id\":\"evt_7\",\"amount\":1,\"currency\":840}|currency"})
    void a_400_for_a_bad_field_names_the_event_id_the_body_carried(String ignoredCase, String body, String field) {
        HttpResponse<String> response = server.postJson(body);

        assertProblem(response, 400, "invalid-request");
        assertEquals(field, Json.parse(response.body()).get("field").asText());
        assertEquals("evt_7", Json.parse(response.body()).path("event_id").asText(), response.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "numeric event_id|{\"event_id\":7,\"amount\":10.5}",
            "event_id with a space|{\"event_id\":\"evt 7\",\"amount\":10.5}",
            "no event_id|{\"amount\":10.5}"})
    void a_400_names_no_event_when_the_event_id_itself_is_unreadable(String ignoredCase, String body) {
        HttpResponse<String> response = server.postJson(body);

        assertProblem(response, 400, "invalid-request");
        assertEquals("event_id", Json.parse(response.body()).get("field").asText());
        assertFalse(Json.parse(response.body()).has("event_id"), response.body());
    }

    @Test
    void an_event_id_of_255_characters_is_accepted_up_to_the_store() {
        server.store.takeDown();
        HttpResponse<String> response = server.postJson("{\"event_id\":\"" + "e".repeat(255) + "\",\"amount\":1}");

        assertProblem(response, 503, "store-unavailable");
        server.store.calls.set(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
            "application/jsonx", ";", ";;charset=utf-8",
            // Charset names Java refuses to look up; the servlet API's own parsing threw on them (found by fuzzing).
            "application/json; charset=/", "x;charset=\u00ff/v"})
    void a_body_that_is_not_declared_as_json_is_415(String contentType) {
        assertProblem(server.post("{\"event_id\":\"evt_1\",\"amount\":1}", contentType), 415, "unsupported-media-type");
    }

    @Test
    void a_body_without_content_type_is_415() {
        assertProblem(server.post("{\"event_id\":\"evt_1\",\"amount\":1}", null), 415, "unsupported-media-type");
    }

    @Test
    void a_body_over_the_limit_is_413_when_declared() {
        String padding = "x".repeat(HttpSettings.DEFAULT_MAX_BODY_BYTES);
        HttpResponse<String> response = server.postJson("{\"event_id\":\"evt_1\",\"amount\":1,\"pad\":\"" + padding + "\"}");

        assertProblem(response, 413, "payload-too-large");
    }

    @Test
    void a_body_over_the_limit_is_413_when_streamed_without_a_length() {
        byte[] chunk = "x".repeat(8192).getBytes();
        List<byte[]> chunks = Stream.generate(() -> chunk).limit(10).toList();
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/webhooks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArrays(() -> {
                    Iterator<byte[]> it = chunks.iterator();
                    return it;
                })).build());

        assertProblem(response, 413, "payload-too-large");
    }

    @Test
    void rejected_requests_are_counted_by_reason() {
        server.postJson("{");
        server.post("{}", "text/plain");
        server.postJson("{\"pad\":\"" + "x".repeat(70_000) + "\"}");

        assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"malformed\""));
        assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"media_type\""));
        assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"too_large\""));
    }
}
