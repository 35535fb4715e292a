package dev.payhook.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.ChargeResult.Charged;
import dev.payhook.domain.ChargeResult.Declined;
import dev.payhook.domain.ChargeResult.Failed;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.payment.fixtures.StripeStandIn;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Stripe gateway against a stand-in Stripe API over real HTTP: what it sends and how it reads answers. */
class StripePaymentGatewayTest {

    private static final PaymentRequest EVT_123 = new PaymentRequest(new EventId("evt_123"), 1000, Currency.of("EUR"));

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    private static StripePaymentGateway gateway() {
        return gateway(stripe.baseUrl(), Optional.empty(), Duration.ofSeconds(5));
    }

    private static StripePaymentGateway gateway(URI apiBase, Optional<String> customer, Duration timeout) {
        return new StripePaymentGateway(new StripeSettings(
                StripeStandIn.API_KEY, apiBase, StripeSettings.TEST_PAYMENT_METHOD, customer, timeout));
    }

    @Test
    void a_charge_creates_one_confirmed_payment_intent_keyed_by_the_event_id() {
        stripe.createsPaymentIntents();

        ChargeResult result = gateway().charge(EVT_123);

        assertEquals(1, stripe.requestCount());
        LoggedRequest sent = stripe.requests().getFirst();
        assertEquals("evt_123", sent.getHeader("Idempotency-Key"));
        assertEquals("Bearer " + StripeStandIn.API_KEY, sent.getHeader("Authorization"));
        assertTrue(sent.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
        assertEquals(Map.of(
                "amount", "1000",
                "currency", "eur",
                "payment_method", "pm_card_visa",
                "confirm", "true",
                "automatic_payment_methods[enabled]", "true",
                "automatic_payment_methods[allow_redirects]", "never",
                "metadata[event_id]", "evt_123"), StripeStandIn.form(sent));
        Charged charged = assertInstanceOf(Charged.class, result);
        assertTrue(charged.transactionId().value().startsWith("pi_"), charged.toString());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void the_customer_of_a_saved_payment_method_is_sent_when_configured() {
        stripe.createsPaymentIntents();

        gateway(stripe.baseUrl(), Optional.of("cus_42"), Duration.ofSeconds(5)).charge(EVT_123);

        assertEquals("cus_42", StripeStandIn.form(stripe.requests().getFirst()).get("customer"));
    }

    @Test
    void a_retry_sends_the_same_idempotency_key_and_gets_the_same_payment_intent() {
        stripe.createsPaymentIntents();
        StripePaymentGateway gateway = gateway();

        ChargeResult first = gateway.charge(EVT_123);
        ChargeResult retry = gateway.charge(EVT_123);

        assertEquals(first, retry);
        assertEquals(2, stripe.requestCount());
        assertEquals("evt_123", stripe.requests().get(1).getHeader("Idempotency-Key"));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void different_events_are_different_payment_intents() {
        stripe.createsPaymentIntents();
        StripePaymentGateway gateway = gateway();

        ChargeResult one = gateway.charge(EVT_123);
        ChargeResult other = gateway.charge(new PaymentRequest(new EventId("evt_124"), 1000, Currency.of("EUR")));

        assertFalse(one.equals(other), one + " and " + other);
        assertEquals(2, stripe.paymentIntentsCreated());
    }

    @ParameterizedTest
    @ValueSource(strings = {"processing", "requires_capture"})
    void a_payment_intent_accepted_but_not_yet_settled_counts_as_charged(String status) {
        stripe.createsPaymentIntentsIn(status);

        assertInstanceOf(Charged.class, gateway().charge(EVT_123));
    }

    @ParameterizedTest
    @CsvSource({"requires_payment_method,generic_decline", "requires_action,authentication_required",
            "canceled,canceled"})
    void a_payment_intent_that_did_not_go_through_is_a_decline(String status, String reason) {
        stripe.createsPaymentIntentsIn(status);

        assertEquals(new Declined(reason), gateway().charge(EVT_123));
    }

    @Test
    void a_payment_intent_in_an_unexpected_status_is_a_failure_that_is_not_retried() {
        stripe.createsPaymentIntentsIn("requires_confirmation");

        Failed failed = assertInstanceOf(Failed.class, gateway().charge(EVT_123));
        assertTrue(failed.reason().contains("requires_confirmation"), failed.reason());
    }

    @Test
    void a_card_decline_is_a_final_decline_named_by_its_decline_code() {
        stripe.declines("card_declined", "insufficient_funds");

        assertEquals(new Declined("insufficient_funds"), gateway().charge(EVT_123));
    }

    @Test
    void a_card_error_without_a_decline_code_is_named_by_its_code() {
        stripe.declines("expired_card", null);

        assertEquals(new Declined("expired_card"), gateway().charge(EVT_123));
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource({
            "500,api_error,",
            "503,api_error,",
            "409,idempotency_error,",
            "409,invalid_request_error,lock_timeout"})
    void server_errors_and_conflicts_leave_the_outcome_unknown_and_are_sent_once(int status, String type, String code) {
        stripe.fails(status, type, code, "try again later");

        ChargeResult.Unknown unknown = assertInstanceOf(ChargeResult.Unknown.class, gateway().charge(EVT_123));

        assertTrue(unknown.reason().contains("HTTP " + status), unknown.reason());
        assertEquals(1, stripe.requestCount(), "the SDK retried by itself");
    }

    @Test
    void a_rate_limit_means_nothing_was_attempted() {
        stripe.fails(429, "invalid_request_error", "rate_limit", "slow down");

        ChargeResult.NotAttempted notAttempted = assertInstanceOf(ChargeResult.NotAttempted.class, gateway().charge(EVT_123));

        assertTrue(notAttempted.retryAfter().toSeconds() <= 60, notAttempted.toString());
        assertEquals(1, stripe.requestCount());
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 504})
    void a_gateway_error_page_instead_of_json_is_transient(int status) {
        stripe.answersHtml(status);

        assertInstanceOf(ChargeResult.Unknown.class, gateway().charge(EVT_123));

        assertEquals(1, stripe.requestCount());
    }

    @Test
    void a_connection_reset_is_transient() {
        stripe.resetsConnections();

        assertInstanceOf(ChargeResult.Unknown.class, gateway().charge(EVT_123));

        assertEquals(1, stripe.requestCount(), "the SDK retried by itself");
    }

    @Test
    void a_provider_nobody_listens_for_is_transient() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        ChargeResult result = gateway(URI.create("http://127.0.0.1:" + closedPort), Optional.empty(),
                Duration.ofSeconds(2)).charge(EVT_123);

        ChargeResult.Unknown unknown = assertInstanceOf(ChargeResult.Unknown.class, result);
        assertTrue(unknown.reason().contains("no answer"), unknown.reason());
    }

    @Test
    void a_provider_that_hangs_is_a_transient_failure_within_the_timeout() {
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofSeconds(5));

        long started = System.nanoTime();
        ChargeResult result = gateway(stripe.baseUrl(), Optional.empty(), Duration.ofMillis(300)).charge(EVT_123);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertInstanceOf(ChargeResult.Unknown.class, result);
        assertTrue(took.compareTo(Duration.ofMillis(2_000)) < 0, "took " + took);
        assertEquals(1, stripe.requestCount());
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource({
            "401,invalid_request_error,,authentication failed",
            "403,invalid_request_error,,permission denied",
            "400,invalid_request_error,parameter_missing,invalid request",
            "404,invalid_request_error,resource_missing,invalid request",
            "400,idempotency_error,,idempotency key reused differently",
            "422,invalid_request_error,,request refused"})
    void errors_that_a_retry_would_repeat_are_not_retryable(int status, String type, String code, String kind) {
        stripe.fails(status, type, code, "the request cannot succeed as sent");

        Failed failed = assertInstanceOf(Failed.class, gateway().charge(EVT_123));

        assertTrue(failed.reason().startsWith("stripe: " + kind + " (HTTP " + status + "): "), failed.reason());
        assertTrue(failed.reason().contains("the request cannot succeed as sent"), failed.reason());
        assertEquals(1, stripe.requestCount());
    }

    @Test
    void a_reason_never_contains_the_api_key_even_when_the_provider_echoes_it() {
        stripe.fails(401, "invalid_request_error", null,
                "Invalid API Key provided: " + StripeStandIn.API_KEY + " (also known as sk_live_****1234)");

        Failed failed = assertInstanceOf(Failed.class, gateway().charge(EVT_123));

        assertFalse(failed.reason().contains(StripeStandIn.API_KEY), failed.reason());
        assertFalse(failed.reason().contains("sk_"), failed.reason());
        assertTrue(failed.reason().contains("Invalid API Key provided: (hidden)"), failed.reason());
    }

    @Test
    void settings_never_show_the_api_key() {
        StripeSettings settings = new StripeSettings(StripeStandIn.API_KEY, stripe.baseUrl(), "pm_card_visa",
                Optional.empty(), Duration.ofSeconds(1));

        assertFalse(settings.toString().contains(StripeStandIn.API_KEY), settings.toString());
    }
}
