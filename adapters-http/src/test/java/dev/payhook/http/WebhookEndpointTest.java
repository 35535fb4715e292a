package dev.payhook.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.IdempotencyPolicy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookEndpointTest {

    private final RunningServer server = new RunningServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_new_event_is_paid_and_answered_like_the_original_service() {
        HttpResponse<String> response = server.postJson("{\"event_id\":\"evt_123\",\"amount\":1000}");

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("application/json"), response.headers().firstValue("Content-Type"));
        assertEquals("{\"status\":\"success\",\"transaction_id\":\"txn_1000\"}", response.body());
        assertEquals(1, server.gateway.calls());
        assertEquals("evt_123", server.gateway.requests().getFirst().idempotencyKey());
    }

    @Test
    void a_duplicate_delivery_replays_the_original_transaction() {
        server.postJson("{\"event_id\":\"evt_123\",\"amount\":1000}");

        HttpResponse<String> response = server.postJson("{\"amount\":1000,\"event_id\":\"evt_123\",\"extra\":[1]}");

        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"already_processed\",\"event_id\":\"evt_123\",\"transaction_id\":\"txn_1000\"}",
                response.body());
        assertEquals(Optional.of("true"), response.headers().firstValue("Idempotent-Replayed"));
        assertEquals(1, server.gateway.calls());
    }

    @Test
    void the_same_event_id_with_another_amount_is_refused_as_a_mismatch() {
        server.postJson("{\"event_id\":\"evt_123\",\"amount\":1000}");

        HttpResponse<String> response = server.postJson("{\"event_id\":\"evt_123\",\"amount\":999}");

        assertProblem(response, 422, "payload-mismatch");
        assertEquals("evt_123", Json.parse(response.body()).get("event_id").asText());
        assertEquals(1, server.gateway.calls());
    }

    @Test
    void a_delivery_while_another_holds_the_event_gets_409_with_the_remaining_lease() {
        Fingerprint fingerprint = Fingerprint.of(1000, Currency.of("USD"));
        server.memory.claim(new EventId("evt_busy"),
                IdempotencyPolicy.DEFAULT.claimFor(fingerprint, ClaimToken.random().get()));
        server.clock.advance(Duration.ofSeconds(10));

        HttpResponse<String> response = server.postJson("{\"event_id\":\"evt_busy\",\"amount\":1000}");

        assertProblem(response, 409, "in-progress");
        assertEquals(Optional.of("20"), response.headers().firstValue("Retry-After"));
        assertEquals(0, server.gateway.calls());
    }

    @Test
    void an_unknown_outcome_is_503_with_retry_after_until_the_provider_is_asked() {
        server.gateway.always(new ChargeResult.Unknown("HTTP 500 after sending"));

        HttpResponse<String> first = server.postJson("{\"event_id\":\"evt_open\",\"amount\":1000}");
        server.clock.advance(Duration.ofSeconds(20));
        HttpResponse<String> second = server.postJson("{\"event_id\":\"evt_open\",\"amount\":1000}");

        assertProblem(first, 503, "payment-outcome-unknown");
        assertEquals(Optional.of("60"), first.headers().firstValue("Retry-After"));
        assertProblem(second, 503, "payment-outcome-unknown");
        assertEquals(Optional.of("40"), second.headers().firstValue("Retry-After"));
        assertEquals(1, server.gateway.calls());
    }

    @Test
    void a_payment_the_provider_would_refuse_is_422_naming_the_rule() {
        server.gateway.refusing("amount below the minimum of 50 for usd");

        HttpResponse<String> response = server.postJson("{\"event_id\":\"evt_small\",\"amount\":10}");

        assertProblem(response, 422, "not-payable");
        assertTrue(response.body().contains("amount below the minimum of 50 for usd"), response.body());
        assertEquals(0, server.gateway.calls());
        assertEquals(0, server.store.calls.get());
    }

    @Test
    void a_refused_request_is_502_and_redeliveries_wait_out_the_failure_ttl() {
        server.gateway.always(new ChargeResult.Failed("authentication failed"));

        HttpResponse<String> first = server.postJson("{\"event_id\":\"evt_fail\",\"amount\":1000}");
        server.clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> second = server.postJson("{\"event_id\":\"evt_fail\",\"amount\":1000}");

        assertProblem(first, 502, "payment-failed");
        assertProblem(second, 503, "recently-failed");
        assertEquals(Optional.of("3000"), second.headers().firstValue("Retry-After"));
        assertEquals(1, server.gateway.calls());
    }

    @Test
    void a_decline_is_a_final_200_and_is_replayed_without_another_charge() {
        server.gateway.always(new ChargeResult.Declined("card_declined"));

        HttpResponse<String> first = server.postJson("{\"event_id\":\"evt_no\",\"amount\":1000}");
        HttpResponse<String> again = server.postJson("{\"event_id\":\"evt_no\",\"amount\":1000}");

        String declined = "{\"status\":\"declined\",\"event_id\":\"evt_no\",\"reason\":\"card_declined\"}";
        assertEquals(200, first.statusCode());
        assertEquals(declined, first.body());
        assertFalse(first.headers().firstValue("Idempotent-Replayed").isPresent());
        assertEquals(200, again.statusCode());
        assertEquals(declined, again.body());
        assertEquals(Optional.of("true"), again.headers().firstValue("Idempotent-Replayed"));
        assertEquals(1, server.gateway.calls());
    }

    @Test
    void a_gateway_that_did_not_try_gives_503_with_its_retry_after() {
        server.gateway.always(new ChargeResult.NotAttempted("circuit breaker open", Duration.ofSeconds(15)));

        HttpResponse<String> response = server.postJson("{\"event_id\":\"evt_cb\",\"amount\":1000}");

        assertProblem(response, 503, "gateway-unavailable");
        assertEquals(Optional.of("15"), response.headers().firstValue("Retry-After"));
    }

    @Test
    void when_the_store_is_down_the_answer_is_503_and_nothing_is_paid() {
        server.store.takeDown();

        HttpResponse<String> response = server.postJson("{\"event_id\":\"evt_down\",\"amount\":1000}");

        assertProblem(response, 503, "store-unavailable");
        assertEquals(Optional.of("2"), response.headers().firstValue("Retry-After"));
        assertEquals(0, server.gateway.calls());
        assertEquals(503, server.get("/health/ready").statusCode());
        assertEquals(200, server.get("/health/live").statusCode());
        assertEquals(1.0, server.metric("webhook_events_total", "outcome=\"store_unavailable\""));
    }

    @Test
    void the_event_id_may_come_from_the_webhook_id_header() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/webhooks"))
                .header("Content-Type", "application/json")
                .header("webhook-id", "msg_from_header")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":250}")).build());

        assertEquals(200, response.statusCode());
        assertEquals("msg_from_header", server.gateway.requests().getFirst().idempotencyKey());
    }

    @Test
    void a_webhook_id_header_that_disagrees_with_the_body_is_refused() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/webhooks"))
                .header("Content-Type", "application/json")
                .header("webhook-id", "msg_a")
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"msg_b\",\"amount\":250}")).build());

        assertProblem(response, 400, "invalid-request");
        assertEquals("event_id", Json.parse(response.body()).get("field").asText());
        assertEquals(0, server.gateway.calls());
    }

    @Test
    void the_currency_is_part_of_the_payment_and_defaults_to_the_configured_one() {
        server.postJson("{\"event_id\":\"evt_cur\",\"amount\":500}");

        assertEquals(200, server.postJson("{\"event_id\":\"evt_cur\",\"amount\":500,\"currency\":\"usd\"}").statusCode());
        assertProblem(server.postJson("{\"event_id\":\"evt_cur\",\"amount\":500,\"currency\":\"EUR\"}"),
                422, "payload-mismatch");
        assertEquals(Currency.of("USD"), server.gateway.requests().getFirst().currency());
    }

    @Test
    void sixty_four_concurrent_deliveries_of_one_event_charge_exactly_once() throws Exception {
        server.gateway.taking(Duration.ofMillis(200));
        int deliveries = 64;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < deliveries; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return server.postJson("{\"event_id\":\"evt_race\",\"amount\":1000}");
                }));
            }
            go.countDown();
            int successes = 0;
            for (Future<HttpResponse<String>> future : futures) {
                HttpResponse<String> response = future.get();
                JsonNode body = Json.parse(response.body());
                if (response.statusCode() == 200 && body.get("status").asText().equals("success")) {
                    successes++;
                } else if (response.statusCode() == 200) {
                    assertEquals("already_processed", body.get("status").asText());
                } else {
                    assertEquals(409, response.statusCode(), response.body());
                    assertTrue(response.headers().firstValue("Retry-After").isPresent());
                }
            }
            assertEquals(1, successes);
            assertEquals(1, server.gateway.calls());
        }
    }

    @Test
    void a_caller_supplied_request_id_is_echoed_and_one_is_made_up_otherwise() {
        HttpResponse<String> given = server.send(HttpRequest.newBuilder(server.uri("/health/live"))
                .header("X-Request-Id", "req-42").GET().build());
        HttpResponse<String> madeUp = server.get("/health/live");
        HttpResponse<String> another = server.get("/health/live");

        assertEquals(Optional.of("req-42"), given.headers().firstValue("X-Request-Id"));
        String id = madeUp.headers().firstValue("X-Request-Id").orElseThrow();
        UUID parsed = UUID.fromString(id);
        assertEquals(id, parsed.toString());
        assertEquals(4, parsed.version());
        assertEquals(2, parsed.variant());
        assertNotEquals(id, another.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals(Optional.of("15"), madeUp.headers().firstValue("Content-Length"), "answers carry their length");
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(Optional.of("application/problem+json"), response.headers().firstValue("Content-Type"));
        JsonNode problem = Json.parse(response.body());
        assertEquals(Problem.TYPE_PREFIX + slug, problem.get("type").asText());
        assertEquals(status, problem.get("status").asInt());
        assertFalse(problem.get("title").asText().isBlank());
        assertFalse(problem.get("detail").asText().isBlank());
    }
}
