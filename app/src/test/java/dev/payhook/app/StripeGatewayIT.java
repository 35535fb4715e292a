package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.payhook.payment.fixtures.StripeStandIn;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged jar with {@code PAYMENT_GATEWAY=stripe}, run as its own process against a stand-in Stripe API
 * over real HTTP: what a new user sees when pointing the service at Stripe.
 */
class StripeGatewayIT {

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    private static ServiceProcess startWithStripe(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "PAYMENT_GATEWAY", "stripe",
                "STRIPE_API_KEY", StripeStandIn.API_KEY,
                "STRIPE_API_BASE", stripe.baseUrl().toString()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return ServiceProcess.start(env);
    }

    private static String event(String id) {
        return "{\"event_id\":\"" + id + "\",\"amount\":1000,\"currency\":\"eur\"}";
    }

    @Test
    void a_new_event_creates_one_payment_intent_keyed_by_its_event_id_and_redeliveries_create_none() {
        stripe.createsPaymentIntents();
        try (ServiceProcess service = startWithStripe()) {
            HttpResponse<String> first = service.postJson(event("evt_123"));
            HttpResponse<String> again = service.postJson(event("evt_123"));
            HttpResponse<String> andAgain = service.postJson(event("evt_123"));

            assertEquals(200, first.statusCode(), first.body());
            assertEquals("{\"status\":\"success\",\"transaction_id\":\"pi_standin000001\"}", first.body());
            assertEquals(200, again.statusCode());
            assertEquals("{\"status\":\"already_processed\",\"event_id\":\"evt_123\",\"transaction_id\":\"pi_standin000001\"}",
                    again.body());
            assertEquals(Optional.of("true"), andAgain.headers().firstValue("Idempotent-Replayed"));

            List<LoggedRequest> requests = stripe.requests();
            assertEquals(1, requests.size());
            assertEquals("evt_123", requests.getFirst().getHeader("Idempotency-Key"));
            assertEquals("Bearer " + StripeStandIn.API_KEY, requests.getFirst().getHeader("Authorization"));
            Map<String, String> form = StripeStandIn.form(requests.getFirst());
            assertEquals("1000", form.get("amount"));
            assertEquals("eur", form.get("currency"));
            assertEquals("evt_123", form.get("metadata[event_id]"));
            assertEquals(1.0, service.metric("payment_gateway_seconds_count", "gateway=\"stripe\"", "result=\"charged\""));
            assertFalse(service.output().contains(StripeStandIn.API_KEY), "the API key was printed");
        }
    }

    @Test
    void a_failing_provider_gets_502_then_503_and_once_the_breaker_opens_nothing_reaches_it_until_it_recovers() {
        stripe.fails(500, "api_error", null, "An unknown error occurred");
        try (ServiceProcess service = startWithStripe("PAYMENT_BREAKER_WINDOW", "3", "PAYMENT_BREAKER_MIN_CALLS", "3",
                "PAYMENT_BREAKER_OPEN_DURATION", "2s", "PAYMENT_BREAKER_HALF_OPEN_CALLS", "1")) {
            HttpResponse<String> failed = service.postJson(event("evt_a"));
            HttpResponse<String> heldOff = service.postJson(event("evt_a"));
            assertEquals(502, failed.statusCode(), failed.body());
            assertTrue(failed.body().contains("HTTP 500"), failed.body());
            assertEquals(503, heldOff.statusCode());
            assertTrue(heldOff.body().contains("recently-failed"), heldOff.body());
            assertEquals(1, stripe.requestCount());

            assertEquals(502, service.postJson(event("evt_b")).statusCode());
            assertEquals(502, service.postJson(event("evt_c")).statusCode());
            HttpResponse<String> open = service.postJson(event("evt_d"));
            HttpResponse<String> stillOpen = service.postJson(event("evt_d"));

            assertEquals(503, open.statusCode());
            assertTrue(open.body().contains("urn:payhook:problem:gateway-unavailable"), open.body());
            long retryAfter = Long.parseLong(open.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
            // Nothing was attempted, so nothing was recorded: the same event is refused the same way, not "recently failed".
            assertTrue(stillOpen.body().contains("gateway-unavailable"), stillOpen.body());
            assertEquals(3, stripe.requestCount(), "a request reached the provider while the breaker was open");
            assertEquals(1.0, service.metric("resilience4j_circuitbreaker_state", "name=\"stripe\"", "state=\"open\""));
            assertEquals(2.0, service.metric("webhook_events_total", "outcome=\"gateway_unavailable\""));
            assertTrue(service.output().contains("circuit breaker opened"), service.output());

            stripe.createsPaymentIntents();
            ServiceProcess.sleep(Duration.ofSeconds(retryAfter).plusMillis(200));
            HttpResponse<String> recovered = service.postJson(event("evt_d"));

            assertEquals(200, recovered.statusCode(), recovered.body());
            assertEquals(4, stripe.requestCount());
            assertEquals(1.0, service.metric("resilience4j_circuitbreaker_state", "name=\"stripe\"", "state=\"closed\""));
        }
    }

    @Test
    void a_provider_that_hangs_is_cut_off_at_the_timeout_and_the_later_retry_gets_the_same_payment_intent() {
        // The timeout leaves room for a first PaymentIntent parse in a cold JVM on a busy machine.
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofSeconds(8));
        try (ServiceProcess service = startWithStripe("PAYMENT_TIMEOUT", "2s", "FAILURE_TTL", "1s")) {
            long started = System.nanoTime();
            HttpResponse<String> timedOut = service.postJson(event("evt_slow"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            HttpResponse<String> heldOff = service.postJson(event("evt_slow"));

            assertEquals(502, timedOut.statusCode(), timedOut.body());
            assertTrue(took.compareTo(Duration.ofMillis(4_500)) < 0, "took " + took);
            assertEquals(503, heldOff.statusCode());

            // The provider did create the payment; only its answer was late. The retry after FAILURE_TTL
            // carries the same idempotency key and is answered with that payment, not a second one.
            stripe.createsPaymentIntents();
            ServiceProcess.sleep(Duration.ofMillis(1_200));
            HttpResponse<String> retried = service.postJson(event("evt_slow"));

            assertEquals(200, retried.statusCode(), retried.body());
            assertEquals("{\"status\":\"success\",\"transaction_id\":\"pi_standin000001\"}", retried.body());
            assertEquals(2, stripe.requestCount());
            assertEquals(List.of("evt_slow", "evt_slow"),
                    stripe.requests().stream().map(request -> request.getHeader("Idempotency-Key")).toList());
            assertEquals(1, stripe.paymentIntentsCreated());
        }
    }

    @Test
    void a_card_decline_is_a_final_answer_and_is_never_sent_again() {
        stripe.declines("card_declined", "insufficient_funds");
        try (ServiceProcess service = startWithStripe()) {
            HttpResponse<String> declined = service.postJson(event("evt_poor"));
            HttpResponse<String> again = service.postJson(event("evt_poor"));

            String body = "{\"status\":\"declined\",\"event_id\":\"evt_poor\",\"reason\":\"insufficient_funds\"}";
            assertEquals(200, declined.statusCode());
            assertEquals(body, declined.body());
            assertEquals(body, again.body());
            assertEquals(1, stripe.requestCount());
        }
    }

    @Test
    void a_refused_api_key_is_a_loud_502_held_off_like_any_failure_and_the_key_is_never_shown() {
        stripe.fails(401, "invalid_request_error", null, "Invalid API Key provided: " + StripeStandIn.API_KEY);
        try (ServiceProcess service = startWithStripe()) {
            HttpResponse<String> refused = service.postJson(event("evt_key"));
            HttpResponse<String> heldOff = service.postJson(event("evt_key"));

            assertEquals(502, refused.statusCode());
            assertTrue(refused.body().contains("authentication failed"), refused.body());
            assertFalse(refused.body().contains(StripeStandIn.API_KEY), refused.body());
            assertEquals(503, heldOff.statusCode());
            assertEquals(1, stripe.requestCount());
            assertEquals(1.0, service.metric("payment_gateway_seconds_count", "gateway=\"stripe\"", "result=\"error\""));
            String output = service.output();
            assertTrue(output.contains("ERROR") && output.contains("authentication failed"), output);
            assertFalse(output.contains(StripeStandIn.API_KEY), "the API key was printed:\n" + output);
        }
    }

    @Test
    void stripe_without_an_api_key_exits_2_naming_the_variable() throws Exception {
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of("PAYMENT_GATEWAY", "stripe"))) {
            assertEquals(2, service.exitCode());
            assertTrue(service.output().contains("STRIPE_API_KEY: must be set when PAYMENT_GATEWAY is stripe"),
                    service.output());
        }
    }

    @Test
    void a_publishable_key_by_mistake_exits_2_without_printing_it() throws Exception {
        String publishable = "pk_live_51DoNotPrintThisKey";
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of("PAYMENT_GATEWAY", "stripe",
                "STRIPE_API_KEY", publishable))) {
            assertEquals(2, service.exitCode());
            assertTrue(service.output().contains("STRIPE_API_KEY: is not a Stripe secret or restricted key"),
                    service.output());
            assertFalse(service.output().contains("DoNotPrintThisKey"), service.output());
        }
    }
}
