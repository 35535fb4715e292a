package dev.payhook.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.payment.fixtures.ReceivedRequest;
import dev.payhook.payment.fixtures.StripeStandIn;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged jar with {@code PAYMENT_GATEWAY=stripe}, run as its own process against a stand-in that keeps
 * Stripe's idempotency rules, over real HTTP: what a new user sees when pointing the service at Stripe. Each
 * test counts the PaymentIntents that exist at the stand-in at the end.
 */
class StripeGatewayIT {

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    private static ServiceProcess startWithStripe(String... more) {
        return ServiceProcess.start(withStripe(more));
    }

    private static Map<String, String> withStripe(String... more) {
        return StripeEnvironment.of(stripe, more);
    }

    private static String event(String id) {
        return event(id, 1000, "eur");
    }

    private static String event(String id, long amount, String currency) {
        return "{\"event_id\":\"" + id + "\",\"amount\":" + amount + ",\"currency\":\"" + currency + "\"}";
    }

    /** Output goes through a log queue: a line logged before the port opened may be written a moment later. */
    private static String awaitOutput(ServiceProcess service, java.util.function.Predicate<String> line) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(service::output, output -> output.lines().anyMatch(line));
    }

    private static long retryAfter(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void a_new_event_creates_one_payment_intent_keyed_by_its_event_id_and_redeliveries_create_none() {
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

            List<ReceivedRequest> requests = stripe.requests();
            assertEquals(1, requests.size());
            assertEquals("webhook:evt_123", requests.getFirst().idempotencyKey());
            assertEquals("Bearer " + StripeStandIn.API_KEY, requests.getFirst().header("Authorization"));
            Map<String, String> form = requests.getFirst().form();
            assertEquals("1000", form.get("amount"));
            assertEquals("eur", form.get("currency"));
            assertEquals("evt_123", form.get("metadata[event_id]"));
            assertEquals("webhook:", form.get("metadata[payhook_prefix]"));
            assertEquals(1.0, service.metric("payment_gateway_seconds_count", "gateway=\"stripe\"", "result=\"charged\""));
            assertEquals(0.0, service.metric("payment_gateway_in_flight", "gateway=\"stripe\""));
            assertFalse(service.output().contains(StripeStandIn.API_KEY), "the API key was printed");
            assertEquals(1, stripe.paymentIntentsCreated());
        }
    }

    @Test
    void the_api_key_is_checked_once_at_start_up_and_a_refused_key_is_an_error_there_not_on_the_first_payment() {
        String revoked = "sk_test_51RevokedKeyNeverPrinted";
        try (ServiceProcess accepted = startWithStripe()) {
            ReceivedRequest check = stripe.allRequests().getFirst();
            assertEquals("GET /v1/payment_intents limit=1", check.method() + " " + check.path() + " " + check.query());
            awaitOutput(accepted, line -> line.contains("Stripe accepted the API key (test mode)"));
        }
        try (ServiceProcess refused = startWithStripe("STRIPE_API_KEY", revoked)) {
            String output = awaitOutput(refused, line -> line.contains("ERROR")
                    && line.contains("the API key was refused") && line.contains("HTTP 401"));
            assertFalse(output.contains("RevokedKeyNeverPrinted"), output);
            assertEquals(0, stripe.requestCount());
            assertEquals(0, stripe.paymentIntentsCreated());
        }
    }

    @Test
    void a_failing_provider_leaves_outcomes_unknown_and_once_the_breaker_opens_nothing_reaches_it_until_it_recovers() {
        stripe.failsWithoutCreating(500);
        try (ServiceProcess service = startWithStripe("PAYMENT_BREAKER_WINDOW", "3", "PAYMENT_BREAKER_MIN_CALLS", "3",
                "PAYMENT_BREAKER_OPEN_DURATION", "2s", "PAYMENT_BREAKER_HALF_OPEN_CALLS", "1")) {
            HttpResponse<String> unknown = service.postJson(event("evt_a"));
            HttpResponse<String> heldOff = service.postJson(event("evt_a"));
            assertEquals(503, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("urn:payhook:problem:payment-outcome-unknown"), unknown.body());
            assertEquals(503, heldOff.statusCode());
            assertTrue(heldOff.body().contains("payment-outcome-unknown"), heldOff.body());
            assertEquals(1, stripe.requestCount(), "an unknown outcome was charged again before the provider was asked");

            assertEquals(503, service.postJson(event("evt_b")).statusCode());
            assertEquals(503, service.postJson(event("evt_c")).statusCode());
            HttpResponse<String> open = service.postJson(event("evt_d"));
            HttpResponse<String> stillOpen = service.postJson(event("evt_d"));

            assertEquals(503, open.statusCode());
            assertTrue(open.body().contains("urn:payhook:problem:gateway-unavailable"), open.body());
            long retryAfter = retryAfter(open);
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
            // Nothing was attempted, so nothing was recorded: the same event is turned away the same way.
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
            assertEquals(1, stripe.paymentIntentsCreated());
        }
    }

    @Test
    void a_provider_that_hangs_is_cut_off_at_the_timeout_and_the_next_delivery_finds_the_payment_instead_of_paying_again() {
        // The timeout leaves room for a first PaymentIntent parse in a cold JVM on a busy machine.
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofSeconds(8));
        try (ServiceProcess service = startWithStripe("PAYMENT_TIMEOUT", "2s", "RECONCILE_AFTER", "1s")) {
            long started = System.nanoTime();
            HttpResponse<String> timedOut = service.postJson(event("evt_slow"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertEquals(503, timedOut.statusCode(), timedOut.body());
            assertTrue(timedOut.body().contains("payment-outcome-unknown"), timedOut.body());
            assertTrue(took.compareTo(Duration.ofMillis(4_500)) < 0, "took " + took);

            // The provider did create the payment; only its answer was late. Once the outcome is due, the
            // next delivery asks Stripe, finds that payment, and answers with it: no second PaymentIntent.
            HttpResponse<String> settled = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> service.postJson(event("evt_slow")), response -> response.statusCode() != 503);

            assertEquals(200, settled.statusCode(), settled.body());
            assertEquals("{\"status\":\"success\",\"transaction_id\":\"pi_standin000001\"}", settled.body());
            assertEquals(1, stripe.requestCount(), "charged again instead of asking");
            assertTrue(stripe.searchCount() >= 1);
            assertEquals(1, stripe.paymentIntentsCreated());
        }
    }

    @Test
    void a_payment_made_but_answered_500_is_found_by_the_next_delivery_and_never_made_again() {
        stripe.createsThenFails(500);
        // Search does not see it yet: only the listing of what was created meanwhile can.
        stripe.searchLag(Duration.ofMinutes(1));
        try (ServiceProcess service = startWithStripe("RECONCILE_AFTER", "2s")) {
            HttpResponse<String> first = service.postJson(event("evt_made"));
            assertEquals(503, first.statusCode(), first.body());
            assertTrue(first.body().contains("payment-outcome-unknown"), first.body());
            assertEquals(2, retryAfter(first));

            HttpResponse<String> settled = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> service.postJson(event("evt_made")), response -> response.statusCode() != 503);

            assertEquals(200, settled.statusCode(), settled.body());
            assertEquals("{\"status\":\"success\",\"transaction_id\":\"pi_standin000001\"}", settled.body());
            assertEquals(1, stripe.requestCount(), "charged again instead of asking");
            assertTrue(stripe.listCount() >= 2, "the creations around the attempt were not listed");
            assertEquals(1, stripe.paymentIntentsCreated());
            assertEquals(1.0, service.metric("payment_reconciliations_total", "result=\"charged\""));
        }
    }

    @Test
    void a_500_that_made_nothing_is_paid_once_under_the_next_attempts_key() {
        stripe.failsWithoutCreating(500);
        stripe.searchLag(Duration.ofMinutes(1));
        try (ServiceProcess service = startWithStripe("RECONCILE_AFTER", "2s")) {
            HttpResponse<String> first = service.postJson(event("evt_lost"));
            assertEquals(503, first.statusCode(), first.body());
            // Stripe saved that 500 for the key and will replay it: the same key can never pay now.
            stripe.createsPaymentIntents();

            HttpResponse<String> paid = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> service.postJson(event("evt_lost")), response -> response.statusCode() != 503);

            assertEquals(200, paid.statusCode(), paid.body());
            assertEquals(List.of("webhook:evt_lost", "webhook:evt_lost:2"),
                    stripe.requests().stream().map(ReceivedRequest::idempotencyKey).toList());
            assertEquals(1, stripe.paymentIntentsCreated());
            assertEquals(Optional.of("webhook:evt_lost:2"), stripe.paymentIntents().getFirst().idempotencyKey());
            assertEquals(1.0, service.metric("payment_reconciliations_total", "result=\"not_found\""));
            HttpResponse<String> replayed = service.postJson(event("evt_lost"));
            assertTrue(replayed.body().contains("already_processed"), replayed.body());
        }
    }

    @Test
    void a_payment_still_processing_is_not_yet_a_success_and_is_settled_by_retrieving_it() {
        stripe.createsPaymentIntentsIn("processing");
        try (ServiceProcess service = startWithStripe("RECONCILE_AFTER", "1s")) {
            HttpResponse<String> processing = service.postJson(event("evt_bank"));
            assertEquals(503, processing.statusCode(), processing.body());
            assertTrue(processing.body().contains("payment-outcome-unknown"), processing.body());

            stripe.settle("pi_standin000001", "succeeded");
            HttpResponse<String> settled = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> service.postJson(event("evt_bank")), response -> response.statusCode() != 503);

            assertEquals(200, settled.statusCode(), settled.body());
            assertTrue(settled.body().contains("pi_standin000001"), settled.body());
            assertEquals(1, stripe.requestCount());
            assertTrue(stripe.retrieveCount() >= 1, "the known PaymentIntent was not retrieved by id");
            assertEquals(1, stripe.paymentIntentsCreated());
        }
    }

    @Test
    void a_rate_limited_charge_is_not_attempted_so_the_sender_comes_back_when_stripe_says_and_pays_once() {
        stripe.rateLimits(Duration.ofSeconds(3));
        try (ServiceProcess service = startWithStripe()) {
            HttpResponse<String> limited = service.postJson(event("evt_busy"));
            stripe.createsPaymentIntents();
            HttpResponse<String> paid = service.postJson(event("evt_busy"));

            assertEquals(503, limited.statusCode(), limited.body());
            assertTrue(limited.body().contains("urn:payhook:problem:gateway-unavailable"), limited.body());
            assertEquals(3, retryAfter(limited));
            assertEquals(200, paid.statusCode(), paid.body());
            assertEquals(2, stripe.requestCount());
            assertEquals(1.0, service.metric("resilience4j_circuitbreaker_state", "name=\"stripe\"", "state=\"closed\""));
            assertEquals(1, stripe.paymentIntentsCreated());
        }
    }

    @Test
    void an_amount_stripe_would_refuse_is_422_naming_the_rule_and_never_sent() {
        try (ServiceProcess service = startWithStripe()) {
            HttpResponse<String> tooSmall = service.postJson(event("evt_tiny", 10, "usd"));
            HttpResponse<String> fractionOfThousandths = service.postJson(event("evt_kwd", 1005, "kwd"));

            assertEquals(422, tooSmall.statusCode(), tooSmall.body());
            assertTrue(tooSmall.body().contains("urn:payhook:problem:not-payable"), tooSmall.body());
            assertTrue(tooSmall.body().contains("below Stripe's minimum charge in USD"), tooSmall.body());
            assertEquals(422, fractionOfThousandths.statusCode(), fractionOfThousandths.body());
            assertTrue(fractionOfThousandths.body().contains("multiples of 10"), fractionOfThousandths.body());
            assertEquals(0, stripe.requestCount());
            assertEquals(0, stripe.paymentIntentsCreated());
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
            assertEquals(1, stripe.paymentIntentsCreated(), "a declined card leaves one PaymentIntent, as at Stripe");
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
            assertEquals(1.0, service.metric("payment_gateway_seconds_count", "gateway=\"stripe\"", "result=\"failed\""));
            String output = service.output();
            assertTrue(output.contains("ERROR") && output.contains("authentication failed"), output);
            assertFalse(output.contains(StripeStandIn.API_KEY), "the API key was printed:\n" + output);
            assertEquals(0, stripe.paymentIntentsCreated());
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

    @Test
    void a_live_key_without_payment_gateway_stripe_never_pays_through_the_simulated_gateway() throws Exception {
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of("STRIPE_API_KEY", "sk_live_51DoNotPrintThisKey",
                "STRIPE_API_BASE", stripe.baseUrl().toString()))) {
            assertEquals(2, service.exitCode());
            String output = service.output();
            assertTrue(output.contains("STRIPE_API_KEY: set while PAYMENT_GATEWAY is simulated"), output);
            assertTrue(output.contains("STRIPE_API_BASE: set while PAYMENT_GATEWAY is simulated"), output);
            assertFalse(output.contains("DoNotPrintThisKey"), output);
        }
        try (ServiceProcess simulated = ServiceProcess.start(Map.of())) {
            awaitOutput(simulated, line -> line.contains("WARN") && line.contains("moves no money"));
        }
        assertEquals(0, stripe.allRequests().size());
        assertEquals(0, stripe.paymentIntentsCreated());
    }
}
