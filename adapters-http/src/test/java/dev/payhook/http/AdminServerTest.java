package dev.payhook.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventAdministration;
import dev.payhook.domain.EventId;
import dev.payhook.domain.IdempotencyPolicy;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentEvent;
import dev.payhook.domain.PendingCompletions;
import dev.payhook.domain.ProcessingObserver;
import dev.payhook.domain.RecordState;
import dev.payhook.domain.TransactionId;
import dev.payhook.domain.WebhookProcessor;
import dev.payhook.domain.fixtures.MutableClock;
import dev.payhook.domain.fixtures.RecordingPaymentGateway;
import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP, on the in-memory store: authentication, each route, and refusals. */
class AdminServerTest {

    private static final String TOKEN = "admin-token-for-tests-0123456789abcdef";

    private final MutableClock clock = MutableClock.startingAtAFixedInstant();
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock);
    private final RecordingPaymentGateway gateway = new RecordingPaymentGateway();
    private final WebhookProcessor processor = new WebhookProcessor(store, gateway, IdempotencyPolicy.DEFAULT,
            ClaimToken.random(), ProcessingObserver.NONE,
            new PendingCompletions(store, ProcessingObserver.NONE, clock, 10), clock);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AdminServer server = new AdminServer(new AdminSettings("127.0.0.1", 0, TOKEN, Currency.of("USD")),
            new EventAdministration(store, gateway, IdempotencyPolicy.DEFAULT), registry).start();
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> call(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> call(String method, String path) {
        return call(method, path, TOKEN);
    }

    private PaymentEvent failedEvent(String id) {
        gateway.always(new ChargeResult.Failed("authentication failed"));
        PaymentEvent event = new PaymentEvent(new EventId(id), 1000, Currency.of("USD"));
        processor.process(event);
        gateway.answering(RecordingPaymentGateway::chargedByAmount);
        return event;
    }

    @Test
    void a_missing_or_wrong_token_gets_401_and_nothing_is_touched() {
        failedEvent("evt_f");

        for (String token : new String[]{null, "wrong", TOKEN + "x"}) {
            HttpResponse<String> response = call("DELETE", "/admin/events/evt_f", token);
            assertEquals(401, response.statusCode());
            assertEquals(Optional.of("Bearer"), response.headers().firstValue("WWW-Authenticate"));
        }
        assertEquals(401, call("GET", "/admin/nowhere", null).statusCode(), "unknown routes are not revealed");
        assertEquals(RecordState.FAILED, store.inspect(new EventId("evt_f")).orElseThrow().state());
        assertEquals(4.0, registry.get("admin.requests").tag("result", "unauthorized").counter().count());
    }

    @Test
    void a_failed_event_is_listed_inspected_and_released_and_the_next_delivery_pays() {
        PaymentEvent event = failedEvent("evt_bad_key");

        JsonNode listed = Json.parse(call("GET", "/admin/events?state=FAILED").body());
        JsonNode inspected = Json.parse(call("GET", "/admin/events/evt_bad_key?amount=1000&currency=usd").body());
        HttpResponse<String> released = call("DELETE", "/admin/events/evt_bad_key");

        assertEquals("evt_bad_key", listed.get("event_ids").get(0).asText());
        assertTrue(listed.get("next_cursor").isNull());
        assertEquals("FAILED", inspected.get("state").asText());
        assertEquals("authentication failed", inspected.get("reason").asText());
        assertTrue(inspected.get("matches").asBoolean());
        assertEquals(200, released.statusCode(), released.body());
        assertEquals(404, call("GET", "/admin/events/evt_bad_key").statusCode());
        assertEquals("processed", processor.process(event).label());
    }

    @Test
    void deleting_a_paid_event_is_refused_with_409_and_the_record_stays() {
        processor.process(new PaymentEvent(new EventId("evt_paid"), 1000, Currency.of("USD")));

        HttpResponse<String> refused = call("DELETE", "/admin/events/evt_paid");

        assertEquals(409, refused.statusCode());
        assertTrue(refused.body().contains("let a redelivery pay again"), refused.body());
        assertEquals("SUCCEEDED", Json.parse(refused.body()).get("state").asText());
        assertEquals(RecordState.SUCCEEDED, store.inspect(new EventId("evt_paid")).orElseThrow().state());
        // Counted by the audit line, which Javalin writes just after the answer has gone out.
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("admin.requests").tag("action", "release")
                .tag("result", "refused").counter() != null);
        assertEquals(1.0, registry.get("admin.requests").tag("action", "release").tag("result", "refused").counter().count());
    }

    @Test
    void reconciling_an_unknown_outcome_records_what_the_provider_found() {
        gateway.always(new ChargeResult.Unknown("HTTP 500"));
        processor.process(new PaymentEvent(new EventId("evt_open"), 1000, Currency.of("USD")));
        gateway.finding(new LookupResult.Paid(new TransactionId("pi_found")));

        assertEquals(409, call("DELETE", "/admin/events/evt_open").statusCode(), "unknown: reconcile first");
        HttpResponse<String> reconciled = call("POST", "/admin/events/evt_open/reconcile?amount=1000");

        assertEquals(200, reconciled.statusCode(), reconciled.body());
        JsonNode body = Json.parse(reconciled.body());
        assertEquals("charged", body.get("provider_found").asText());
        assertTrue(body.get("recorded").asBoolean());
        JsonNode now = Json.parse(call("GET", "/admin/events/evt_open").body());
        assertEquals("SUCCEEDED", now.get("state").asText());
        assertEquals("pi_found", now.get("transaction_id").asText());
    }

    @Test
    void bad_input_gets_400_naming_the_field_and_another_amount_gets_422() {
        failedEvent("evt_x");

        assertEquals("state", Json.parse(call("GET", "/admin/events?state=SUCCEEDED").body()).get("field").asText());
        assertEquals("limit", Json.parse(call("GET", "/admin/events?state=FAILED&limit=0").body()).get("field").asText());
        assertEquals("amount", Json.parse(call("POST", "/admin/events/evt_x/reconcile").body()).get("field").asText());
        assertEquals(422, call("POST", "/admin/events/evt_x/reconcile?amount=5").statusCode());
        assertFalse(Json.parse(call("GET", "/admin/events/evt_x?amount=5").body()).get("matches").asBoolean());
        assertEquals(0, gateway.lookups().size());
    }
}
