package dev.payhook.http;

import static dev.payhook.http.WebhookEndpointTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /webhooks} with signatures required, over real HTTP, signed by the reference library. */
class SignedWebhookTest {

    private static final String EVENT = "{\"event_id\":\"evt_signed\",\"amount\":1000}";

    private final String secret = Sender.newSecret();
    private final Sender sender = new Sender(secret);
    private final RunningServer server = RunningServer.signedWith(secret);

    @AfterEach
    void stop() {
        server.close();
    }

    private Instant now() {
        return server.clock.instant();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return server.send(request.build());
    }

    private void assertRefused(HttpResponse<String> response, String reason) {
        assertProblem(response, 401, "invalid-signature");
        assertEquals(reason, Json.parse(response.body()).get("reason").asText());
        assertEquals(0, server.store.calls.get(), "store calls");
        assertEquals(0, server.gateway.calls(), "gateway calls");
    }

    @Test
    void a_request_signed_with_the_configured_secret_is_paid() {
        HttpResponse<String> response = send(sender.post(server.uri("/webhooks"), "evt_signed", now(), EVENT));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"status\":\"success\",\"transaction_id\":\"txn_1000\"}", response.body());
        assertEquals(1, server.gateway.calls());
    }

    @Test
    void one_changed_body_byte_is_refused() {
        String signature = sender.signature("evt_signed", now(), EVENT);
        String tampered = EVENT.replace("1000", "9000");

        assertRefused(send(Sender.unsigned(server.uri("/webhooks"), "evt_signed", now(), tampered)
                .header(WebhookServer.SIGNATURE_HEADER, signature)), "no_matching_signature");
    }

    @Test
    void a_changed_webhook_id_is_refused() {
        String signature = sender.signature("evt_signed", now(), EVENT);

        assertRefused(send(Sender.unsigned(server.uri("/webhooks"), "evt_other", now(), EVENT)
                .header(WebhookServer.SIGNATURE_HEADER, signature)), "no_matching_signature");
    }

    @Test
    void a_request_signed_with_an_unknown_secret_is_refused() {
        Sender stranger = new Sender(Sender.newSecret());

        assertRefused(send(stranger.post(server.uri("/webhooks"), "evt_signed", now(), EVENT)), "no_matching_signature");
    }

    @Test
    void a_timestamp_six_minutes_old_is_refused_as_expired() {
        Instant sixMinutesAgo = now().minus(Duration.ofMinutes(6));

        assertRefused(send(sender.post(server.uri("/webhooks"), "evt_signed", sixMinutesAgo, EVENT)), "expired");
    }

    @Test
    void a_timestamp_six_minutes_ahead_is_refused() {
        Instant sixMinutesAhead = now().plus(Duration.ofMinutes(6));

        assertRefused(send(sender.post(server.uri("/webhooks"), "evt_signed", sixMinutesAhead, EVENT)),
                "future_timestamp");
    }

    @Test
    void a_timestamp_four_minutes_off_either_way_is_accepted() {
        HttpResponse<String> old = send(sender.post(server.uri("/webhooks"), "evt_old", now().minusSeconds(240),
                "{\"amount\":10}"));
        HttpResponse<String> ahead = send(sender.post(server.uri("/webhooks"), "evt_ahead", now().plusSeconds(240),
                "{\"amount\":20}"));

        assertEquals(200, old.statusCode(), old.body());
        assertEquals(200, ahead.statusCode(), ahead.body());
    }

    @Test
    void a_request_without_signature_headers_is_refused() {
        assertRefused(server.postJson(EVENT), "missing_headers");
        assertRefused(send(Sender.unsigned(server.uri("/webhooks"), "evt_signed", now(), EVENT)), "missing_headers");
    }

    @Test
    void a_timestamp_that_is_not_a_number_is_refused() {
        assertRefused(send(HttpRequest.newBuilder(server.uri("/webhooks"))
                .header("Content-Type", "application/json")
                .header(WebhookServer.ID_HEADER, "evt_signed")
                .header(WebhookServer.TIMESTAMP_HEADER, "2026-01-01T00:00:00Z")
                .header(WebhookServer.SIGNATURE_HEADER, sender.signature("evt_signed", now(), EVENT))
                .POST(HttpRequest.BodyPublishers.ofString(EVENT))), "bad_timestamp");
    }

    @Test
    void the_signature_is_checked_before_the_body_is_parsed() {
        assertRefused(send(Sender.unsigned(server.uri("/webhooks"), "evt_signed", now(), "{not json")
                .header(WebhookServer.SIGNATURE_HEADER, "v1,Zm9yZ2Vk")), "no_matching_signature");
    }

    @Test
    void a_header_with_several_signatures_is_accepted_when_one_matches() {
        String signatures = new Sender(Sender.newSecret()).signature("evt_signed", now(), EVENT)
                + " v1a,c29tZXRoaW5nIGVsc2U= " + sender.signature("evt_signed", now(), EVENT);

        HttpResponse<String> response = send(Sender.unsigned(server.uri("/webhooks"), "evt_signed", now(), EVENT)
                .header(WebhookServer.SIGNATURE_HEADER, signatures));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void after_adding_a_second_secret_requests_signed_with_either_are_accepted() {
        String newSecret = Sender.newSecret();
        try (RunningServer rotating = RunningServer.signedWith(secret, newSecret)) {
            Instant now = rotating.clock.instant();
            HttpResponse<String> old = rotating.send(sender.post(rotating.uri("/webhooks"), "evt_a", now,
                    "{\"amount\":100}").build());
            HttpResponse<String> renewed = rotating.send(new Sender(newSecret).post(rotating.uri("/webhooks"), "evt_b",
                    now, "{\"amount\":200}").build());

            assertEquals(200, old.statusCode(), old.body());
            assertEquals(200, renewed.statusCode(), renewed.body());
            assertEquals(2, rotating.gateway.calls());
        }
    }

    @Test
    void the_webhook_id_alone_is_the_event_id() {
        HttpResponse<String> response = send(sender.post(server.uri("/webhooks"), "msg_2Ln8", now(), "{\"amount\":250}"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("msg_2Ln8", server.gateway.requests().getFirst().idempotencyKey());
    }

    @Test
    void a_signed_webhook_id_that_disagrees_with_the_body_event_id_is_400() {
        HttpResponse<String> response = send(sender.post(server.uri("/webhooks"), "msg_a", now(),
                "{\"event_id\":\"evt_b\",\"amount\":250}"));

        assertProblem(response, 400, "invalid-request");
        assertEquals("event_id", Json.parse(response.body()).get("field").asText());
        assertEquals(0, server.gateway.calls());
    }

    @Test
    void the_specification_test_vector_passes_the_signature_check_over_http() {
        try (RunningServer vector = new RunningServer(HttpSettings.onPort(0),
                RunningServer.Edge.OPEN.withSecrets(List.of(SignatureVerifierTest.VECTOR_SECRET)))) {
            vector.clock.advance(Duration.between(vector.clock.instant(),
                    Instant.ofEpochSecond(SignatureVerifierTest.VECTOR_TIMESTAMP)));
            HttpRequest.Builder request = HttpRequest.newBuilder(vector.uri("/webhooks"))
                    .header("Content-Type", "application/json")
                    .header(WebhookServer.ID_HEADER, SignatureVerifierTest.VECTOR_ID)
                    .header(WebhookServer.TIMESTAMP_HEADER, Long.toString(SignatureVerifierTest.VECTOR_TIMESTAMP))
                    .header(WebhookServer.SIGNATURE_HEADER, SignatureVerifierTest.VECTOR_SIGNATURE);

            HttpResponse<String> genuine = vector.send(request
                    .POST(HttpRequest.BodyPublishers.ofString(SignatureVerifierTest.VECTOR_PAYLOAD)).build());
            HttpResponse<String> altered = vector.send(request
                    .POST(HttpRequest.BodyPublishers.ofString(SignatureVerifierTest.VECTOR_PAYLOAD + " ")).build());

            // The vector's payload carries no amount: past the signature, the parser refuses it.
            assertProblem(genuine, 400, "invalid-request");
            assertEquals("amount", Json.parse(genuine.body()).get("field").asText());
            assertProblem(altered, 401, "invalid-signature");
        }
    }

    @Test
    void signature_failures_are_counted_as_signature_rejections_and_by_why() {
        server.postJson(EVENT);
        send(sender.post(server.uri("/webhooks"), "evt_signed", now().minus(Duration.ofHours(1)), EVENT));
        send(sender.post(server.uri("/webhooks"), "evt_signed", now().minus(Duration.ofHours(2)), EVENT));

        assertEquals(3.0, server.metric("webhook_rejected_requests_total", "reason=\"signature\""));
        assertEquals(1.0, server.metric("webhook_signature_failures_total", "reason=\"missing_headers\""));
        assertEquals(2.0, server.metric("webhook_signature_failures_total", "reason=\"expired\""));
    }
}
