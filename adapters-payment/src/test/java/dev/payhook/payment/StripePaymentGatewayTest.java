package dev.payhook.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.ChargeResult.Charged;
import dev.payhook.domain.ChargeResult.Declined;
import dev.payhook.domain.ChargeResult.Failed;
import dev.payhook.domain.ChargeResult.NotAttempted;
import dev.payhook.domain.ChargeResult.Unknown;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.domain.TransactionId;
import dev.payhook.payment.fixtures.ReceivedRequest;
import dev.payhook.payment.fixtures.StripeStandIn;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Stripe gateway against a stand-in that keeps Stripe's idempotency rules, over real HTTP: what it sends,
 * how it reads every kind of answer, how it looks up earlier attempts, and what it refuses to send. Each test
 * ends by counting the PaymentIntents that exist at the stand-in.
 */
class StripePaymentGatewayTest {

    private static final String PREFIX = "webhook:";
    private static final PaymentRequest EVT_123 = new PaymentRequest(new EventId("evt_123"), 1000, Currency.of("EUR"));

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    private final List<StripePaymentGateway> opened = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        opened.forEach(StripePaymentGateway::close);
    }

    private StripePaymentGateway gateway() {
        return gateway(stripe.baseUrl(), StripeStandIn.API_KEY, Optional.empty(), Duration.ofSeconds(5), PREFIX);
    }

    private StripePaymentGateway gateway(URI apiBase, String apiKey, Optional<String> customer, Duration timeout,
                                         String prefix) {
        return open(new StripeSettings(apiKey, apiBase, StripeSettings.TEST_PAYMENT_METHOD, customer, timeout, prefix,
                StripeSettings.DEFAULT_SEARCH_LAG),
                StripePaymentGateway.CREDENTIAL_RECHECK_INTERVAL);
    }

    private StripePaymentGateway open(StripeSettings settings, Duration recheckInterval) {
        StripePaymentGateway gateway = new StripePaymentGateway(settings, Clock.systemUTC(), recheckInterval);
        opened.add(gateway);
        return gateway;
    }

    private static PaymentRequest event(String id, long amount, String currency) {
        return new PaymentRequest(new EventId(id), amount, Currency.of(currency));
    }

    // ---- what is sent

    @Test
    void a_charge_creates_one_confirmed_payment_intent_keyed_by_the_prefixed_event_id() {
        ChargeResult result = gateway().charge(EVT_123);

        assertEquals(1, stripe.requestCount());
        ReceivedRequest sent = stripe.requests().getFirst();
        assertEquals("webhook:evt_123", sent.idempotencyKey());
        assertEquals("Bearer " + StripeStandIn.API_KEY, sent.header("Authorization"));
        assertTrue(sent.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
        assertEquals(Map.of(
                "amount", "1000",
                "currency", "eur",
                "payment_method", "pm_card_visa",
                "confirm", "true",
                "automatic_payment_methods[enabled]", "true",
                "automatic_payment_methods[allow_redirects]", "never",
                "metadata[event_id]", "evt_123",
                "metadata[payhook_prefix]", "webhook:"), sent.form());
        assertEquals(new Charged(new TransactionId("pi_standin000001")), result);
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_saved_payment_method_of_a_customer_is_charged_off_session() {
        gateway(stripe.baseUrl(), StripeStandIn.API_KEY, Optional.of("cus_42"), Duration.ofSeconds(5), PREFIX)
                .charge(EVT_123);

        Map<String, String> form = stripe.requests().getFirst().form();
        assertEquals("cus_42", form.get("customer"));
        assertEquals("true", form.get("off_session"));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_retry_sends_the_same_key_and_gets_the_same_payment_intent() {
        StripePaymentGateway gateway = gateway();

        ChargeResult first = gateway.charge(EVT_123);
        ChargeResult retry = gateway.charge(EVT_123);

        assertEquals(first, retry);
        assertEquals(List.of("webhook:evt_123", "webhook:evt_123"),
                stripe.requests().stream().map(ReceivedRequest::idempotencyKey).toList());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_later_attempt_of_an_event_is_sent_under_its_own_key() {
        StripePaymentGateway gateway = gateway();

        ChargeResult first = gateway.charge(EVT_123);
        ChargeResult third = gateway.charge(EVT_123.attempt(3));

        assertNotEquals(first, third);
        assertEquals(List.of("webhook:evt_123", "webhook:evt_123:3"),
                stripe.requests().stream().map(ReceivedRequest::idempotencyKey).toList());
        assertEquals("evt_123", stripe.requests().get(1).form().get("metadata[event_id]"));
        assertEquals(2, stripe.paymentIntentsCreated());
    }

    @Test
    void deployments_with_different_prefixes_never_share_a_payment_intent_or_find_each_others() {
        StripePaymentGateway blue = gateway(stripe.baseUrl(), StripeStandIn.API_KEY, Optional.empty(),
                Duration.ofSeconds(5), "blue:");
        StripePaymentGateway green = gateway(stripe.baseUrl(), StripeStandIn.API_KEY, Optional.empty(),
                Duration.ofSeconds(5), "green:");

        Charged paidByBlue = assertInstanceOf(Charged.class, blue.charge(EVT_123));
        LookupResult seenByGreen = green.lookup(EVT_123);
        Charged paidByGreen = assertInstanceOf(Charged.class, green.charge(EVT_123));

        assertEquals(new LookupResult.NotFound(), seenByGreen);
        assertNotEquals(paidByBlue, paidByGreen);
        assertEquals(new LookupResult.Paid(paidByBlue.transactionId()), blue.lookup(EVT_123));
        assertEquals(List.of("blue:evt_123", "green:evt_123"),
                stripe.requests().stream().map(ReceivedRequest::idempotencyKey).toList());
        assertEquals(2, stripe.paymentIntentsCreated());
    }

    @Test
    void an_event_id_too_long_for_a_stripe_key_is_keyed_by_its_hash_and_still_paid_once() {
        PaymentRequest longId = event("evt_" + "x".repeat(251), 1000, "USD");
        StripePaymentGateway gateway = gateway();

        ChargeResult first = gateway.charge(longId.attempt(2));
        ChargeResult retry = gateway.charge(longId.attempt(2));

        String key = stripe.requests().getFirst().idempotencyKey();
        assertTrue(key.length() <= 255, key);
        assertTrue(key.startsWith("webhook:sha256:"), key);
        assertEquals(key, stripe.requests().get(1).idempotencyKey());
        assertEquals(first, retry);
        assertEquals(new LookupResult.Paid(((Charged) first).transactionId()), gateway.lookup(longId));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    // ---- what a PaymentIntent's status means

    @Test
    void an_authorised_payment_awaiting_capture_is_charged() {
        stripe.createsPaymentIntentsIn("requires_capture");

        assertEquals(new Charged(new TransactionId("pi_standin000001")), gateway().charge(EVT_123));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_payment_still_processing_is_not_yet_a_success_and_keeps_its_id_for_the_lookup() {
        stripe.createsPaymentIntentsIn("processing");

        Unknown unknown = assertInstanceOf(Unknown.class, gateway().charge(EVT_123));

        assertEquals(Optional.of(new TransactionId("pi_standin000001")), unknown.reference());
        assertTrue(unknown.reason().contains("processing"), unknown.reason());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @ParameterizedTest
    @CsvSource({"requires_payment_method,generic_decline", "requires_action,authentication_required",
            "canceled,canceled"})
    void a_payment_intent_that_did_not_go_through_is_a_decline(String status, String reason) {
        stripe.createsPaymentIntentsIn(status);

        assertEquals(new Declined(reason), gateway().charge(EVT_123));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_payment_intent_in_an_unexpected_status_is_a_failure() {
        stripe.createsPaymentIntentsIn("requires_confirmation");

        Failed failed = assertInstanceOf(Failed.class, gateway().charge(EVT_123));

        assertTrue(failed.reason().contains("requires_confirmation"), failed.reason());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    // ---- what an error means

    @Test
    void a_card_decline_is_a_final_decline_named_by_its_decline_code_and_replayed_for_its_key() {
        stripe.declines("card_declined", "insufficient_funds");
        StripePaymentGateway gateway = gateway();

        ChargeResult declined = gateway.charge(EVT_123);
        stripe.createsPaymentIntents();
        ChargeResult again = gateway.charge(EVT_123);

        assertEquals(new Declined("insufficient_funds"), declined);
        assertEquals(declined, again);
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_card_error_without_a_decline_code_is_named_by_its_code() {
        stripe.declines("expired_card", null);

        assertEquals(new Declined("expired_card"), gateway().charge(EVT_123));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @ParameterizedTest(name = "HTTP {0} {1} {2}")
    @CsvSource({
            "500,api_error,",
            "503,api_error,",
            "409,idempotency_error,idempotency_key_in_use",
            "409,invalid_request_error,lock_timeout"})
    void server_errors_and_conflicts_leave_the_outcome_unknown_and_are_sent_once(int status, String type, String code) {
        stripe.fails(status, type, code, "try again later");

        Unknown unknown = assertInstanceOf(Unknown.class, gateway().charge(EVT_123));

        assertTrue(unknown.reason().contains("HTTP " + status), unknown.reason());
        assertEquals(1, stripe.requestCount(), "the SDK retried by itself");
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_server_error_after_the_payment_was_made_is_unknown_its_retry_replays_it_and_a_lookup_finds_the_payment() {
        stripe.createsThenFails(500);
        StripePaymentGateway gateway = gateway();

        ChargeResult first = gateway.charge(EVT_123);
        stripe.createsPaymentIntents();
        ChargeResult retry = gateway.charge(EVT_123);
        LookupResult found = gateway.lookup(EVT_123);

        assertInstanceOf(Unknown.class, first);
        assertInstanceOf(Unknown.class, retry, "Stripe replays the saved 500 for the key");
        assertEquals(new LookupResult.Paid(new TransactionId("pi_standin000001")), found);
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_retry_while_the_first_request_is_still_executing_is_unknown_and_pays_nothing_more() throws Exception {
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofSeconds(3));
        StripePaymentGateway gateway = gateway();

        CompletableFuture<ChargeResult> first = CompletableFuture.supplyAsync(() -> gateway.charge(EVT_123));
        awaitCreateRequests(1);
        ChargeResult concurrent = gateway.charge(EVT_123);

        Unknown unknown = assertInstanceOf(Unknown.class, concurrent);
        assertTrue(unknown.reason().contains("HTTP 409"), unknown.reason());
        assertEquals(new Charged(new TransactionId("pi_standin000001")), first.get());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_key_sent_again_with_another_amount_is_a_failure_and_pays_nothing_more() {
        StripePaymentGateway gateway = gateway();
        gateway.charge(EVT_123);

        Failed failed = assertInstanceOf(Failed.class,
                gateway.charge(new PaymentRequest(EVT_123.eventId(), 2000, EVT_123.currency())));

        assertTrue(failed.reason().startsWith("stripe: idempotency key reused differently (HTTP 400)"), failed.reason());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 504})
    void an_error_page_instead_of_json_leaves_the_outcome_unknown(int status) {
        stripe.answersHtml(status);

        assertInstanceOf(Unknown.class, gateway().charge(EVT_123));

        assertEquals(1, stripe.requestCount());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_connection_lost_after_sending_leaves_the_outcome_unknown() {
        stripe.resetsConnections();

        Unknown unknown = assertInstanceOf(Unknown.class, gateway().charge(EVT_123));

        assertTrue(unknown.reason().contains("no answer after sending"), unknown.reason());
        assertEquals(1, stripe.requestCount(), "the request was sent again by the HTTP client or the SDK");
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_payment_whose_answer_was_lost_is_unknown_and_its_retry_gets_the_same_payment_intent() {
        stripe.createsThenResetsConnections();
        StripePaymentGateway gateway = gateway();

        ChargeResult lost = gateway.charge(EVT_123);
        ChargeResult retry = gateway.charge(EVT_123);

        assertInstanceOf(Unknown.class, lost);
        assertEquals(new Charged(new TransactionId("pi_standin000001")), retry);
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_provider_that_hangs_leaves_the_outcome_unknown_within_the_timeout() {
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofSeconds(5));

        long started = System.nanoTime();
        ChargeResult result = gateway(stripe.baseUrl(), StripeStandIn.API_KEY, Optional.empty(), Duration.ofMillis(300),
                PREFIX).charge(EVT_123);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertInstanceOf(Unknown.class, result);
        assertTrue(took.compareTo(Duration.ofMillis(2_000)) < 0, "took " + took);
        assertEquals(1, stripe.requestCount());
        assertEquals(1, stripe.paymentIntentsCreated(), "the stand-in made the payment; only its answer was late");
    }

    @Test
    void a_provider_nobody_listens_for_was_not_attempted() throws IOException {
        ChargeResult result = gateway(closedPort(), StripeStandIn.API_KEY, Optional.empty(), Duration.ofSeconds(2), PREFIX)
                .charge(EVT_123);

        NotAttempted notAttempted = assertInstanceOf(NotAttempted.class, result);
        assertTrue(notAttempted.reason().contains("nothing sent"), notAttempted.reason());
        assertEquals(StripeResults.NOT_SENT_RETRY_AFTER, notAttempted.retryAfter());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_rate_limited_charge_was_not_attempted_nor_saved_so_its_retry_pays() {
        stripe.rateLimits();
        StripePaymentGateway gateway = gateway();

        ChargeResult limited = gateway.charge(EVT_123);
        stripe.createsPaymentIntents();
        ChargeResult retry = gateway.charge(EVT_123);

        NotAttempted notAttempted = assertInstanceOf(NotAttempted.class, limited);
        assertEquals(JdkStripeTransport.DEFAULT_RATE_LIMIT_WAIT, notAttempted.retryAfter());
        assertTrue(notAttempted.reason().startsWith("stripe: rate limited (HTTP 429)"), notAttempted.reason());
        assertEquals(new Charged(new TransactionId("pi_standin000001")), retry);
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @ParameterizedTest(name = "Retry-After {0} s gives {1} s")
    @CsvSource({"7,7", "0,1", "600,60"})
    void a_rate_limit_says_when_to_come_back_within_a_minute(long retryAfter, long expected) {
        stripe.rateLimits(Duration.ofSeconds(retryAfter));

        NotAttempted notAttempted = assertInstanceOf(NotAttempted.class, gateway().charge(EVT_123));

        assertEquals(Duration.ofSeconds(expected), notAttempted.retryAfter());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource({
            "401,invalid_request_error,,authentication failed",
            "403,invalid_request_error,,permission denied",
            "400,invalid_request_error,parameter_missing,invalid request",
            "404,invalid_request_error,resource_missing,invalid request",
            "400,idempotency_error,,idempotency key reused differently",
            "422,invalid_request_error,,request refused"})
    void errors_that_a_retry_would_repeat_are_failures(int status, String type, String code, String kind) {
        stripe.fails(status, type, code, "the request cannot succeed as sent");

        Failed failed = assertInstanceOf(Failed.class, gateway().charge(EVT_123));

        assertTrue(failed.reason().startsWith("stripe: " + kind + " (HTTP " + status + "): "), failed.reason());
        assertTrue(failed.reason().contains("the request cannot succeed as sent"), failed.reason());
        assertEquals(1, stripe.requestCount());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_reason_never_contains_the_api_key_even_when_the_provider_echoes_it() {
        stripe.fails(401, "invalid_request_error", null,
                "Invalid API Key provided: " + StripeStandIn.API_KEY + " (also known as sk_live_****1234)");

        Failed failed = assertInstanceOf(Failed.class, gateway().charge(EVT_123));

        assertFalse(failed.reason().contains(StripeStandIn.API_KEY), failed.reason());
        assertFalse(failed.reason().contains("sk_"), failed.reason());
        assertTrue(failed.reason().contains("Invalid API Key provided: (hidden)"), failed.reason());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    // ---- lookups

    @Test
    void a_lookup_searches_the_events_payment_intents_of_this_deployment_and_finds_the_payment() {
        StripePaymentGateway gateway = gateway();
        Charged paid = assertInstanceOf(Charged.class, gateway.charge(EVT_123));

        LookupResult found = gateway.lookup(EVT_123.attempt(2));

        assertEquals(new LookupResult.Paid(paid.transactionId()), found);
        ReceivedRequest search = stripe.allRequests().getLast();
        assertEquals("/v1/payment_intents/search", search.path());
        assertEquals("metadata['event_id']:'evt_123' AND metadata['payhook_prefix']:'webhook:'",
                search.queryParameters().get("query"));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_lookup_that_finds_nothing_says_so() {
        assertEquals(new LookupResult.NotFound(), gateway().lookup(EVT_123));
        assertEquals(1, stripe.searchCount());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_payment_intent_not_yet_searchable_is_found_by_listing_what_was_created_while_its_attempt_ran() {
        stripe.searchLag(Duration.ofMinutes(1));
        StripePaymentGateway gateway = gateway();
        Instant sent = Instant.now();
        gateway.charge(EVT_123);
        stripe.otherPaymentIntents(250);

        LookupResult found = gateway.lookup(EVT_123.attempt(2).sentAt(Optional.of(sent)));

        assertEquals(new LookupResult.Paid(new TransactionId("pi_standin000001")), found);
        assertEquals(1, stripe.searchCount());
        assertEquals(3, stripe.listCount(), "pages of 100 until the oldest");
        assertEquals(251, stripe.paymentIntentsCreated());
    }

    @Test
    void without_the_attempts_send_time_a_search_that_finds_nothing_says_not_found() {
        stripe.searchLag(Duration.ofMinutes(1));
        StripePaymentGateway gateway = gateway();
        gateway.charge(EVT_123);

        // A takeover: the caller charges again under the same key, which Stripe answers with this payment.
        assertEquals(new LookupResult.NotFound(), gateway.lookup(EVT_123));
        assertEquals(0, stripe.listCount());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void an_attempt_sent_longer_ago_than_the_search_lag_is_settled_by_search_alone() {
        StripePaymentGateway gateway = gateway();
        Instant longAgo = Instant.now().minus(StripeSettings.DEFAULT_SEARCH_LAG).minus(Duration.ofMinutes(1));

        assertEquals(new LookupResult.NotFound(), gateway.lookup(EVT_123.attempt(2).sentAt(Optional.of(longAgo))));
        assertEquals(1, stripe.searchCount());
        assertEquals(0, stripe.listCount());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_recent_attempt_among_more_payment_intents_than_can_be_read_stays_unclear_instead_of_not_found() {
        StripePaymentGateway gateway = gateway();
        Instant sent = Instant.now();
        stripe.otherPaymentIntents(StripePaymentGateway.MAX_LIST_PAGES * 100 + 1);

        LookupResult tooMany = gateway.lookup(EVT_123.attempt(2).sentAt(Optional.of(sent)));

        LookupResult.Unclear unclear = assertInstanceOf(LookupResult.Unclear.class, tooMany);
        assertTrue(unclear.reason().contains("too many to prove none is this event's"), unclear.reason());
        assertEquals(StripePaymentGateway.MAX_LIST_PAGES, stripe.listCount());
    }

    @Test
    void listing_is_narrowed_to_the_customer_and_ignores_another_deployments_prefix() {
        StripePaymentGateway other = gateway(stripe.baseUrl(), StripeStandIn.API_KEY, Optional.of("cus_42"),
                Duration.ofSeconds(5), "staging:");
        StripePaymentGateway gateway = gateway(stripe.baseUrl(), StripeStandIn.API_KEY, Optional.of("cus_42"),
                Duration.ofSeconds(5), PREFIX);
        stripe.searchLag(Duration.ofMinutes(1));
        Instant sent = Instant.now();
        other.charge(EVT_123);

        assertEquals(new LookupResult.NotFound(), gateway.lookup(EVT_123.attempt(2).sentAt(Optional.of(sent))));
        ReceivedRequest listed = stripe.allRequests().stream()
                .filter(request -> request.method().equals("GET") && request.path().equals(StripeStandIn.PAYMENT_INTENTS))
                .toList().getLast();
        assertEquals("cus_42", listed.queryParameters().get("customer"));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_known_payment_intent_is_retrieved_by_id_without_search_lag_until_it_settles() {
        stripe.createsPaymentIntentsIn("processing");
        stripe.searchLag(Duration.ofMinutes(1));
        StripePaymentGateway gateway = gateway();
        Unknown processing = assertInstanceOf(Unknown.class, gateway.charge(EVT_123));
        PaymentRequest withReference = EVT_123.attempt(2).withReference(processing.reference());

        LookupResult whileProcessing = gateway.lookup(withReference);
        stripe.settle("pi_standin000001", "succeeded");
        LookupResult settled = gateway.lookup(withReference);

        LookupResult.Unclear unclear = assertInstanceOf(LookupResult.Unclear.class, whileProcessing);
        assertEquals(processing.reference(), unclear.reference());
        assertEquals(new LookupResult.Paid(new TransactionId("pi_standin000001")), settled);
        assertEquals(2, stripe.retrieveCount());
        assertEquals(0, stripe.searchCount());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_payment_that_failed_while_processing_is_found_declined() {
        stripe.createsPaymentIntentsIn("processing");
        StripePaymentGateway gateway = gateway();
        Unknown processing = assertInstanceOf(Unknown.class, gateway.charge(EVT_123));

        stripe.settle("pi_standin000001", "canceled");

        assertEquals(new LookupResult.Declined("canceled"), gateway.lookup(EVT_123.withReference(processing.reference())));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_reference_stripe_does_not_know_falls_back_to_a_search() {
        StripePaymentGateway gateway = gateway();
        Charged paid = assertInstanceOf(Charged.class, gateway.charge(EVT_123));

        LookupResult found = gateway.lookup(EVT_123.withReference(Optional.of(new TransactionId("pi_gone"))));

        assertEquals(new LookupResult.Paid(paid.transactionId()), found);
        assertEquals(1, stripe.retrieveCount());
        assertEquals(1, stripe.searchCount());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void a_paid_attempt_wins_over_a_declined_one() {
        StripePaymentGateway gateway = gateway();
        stripe.declines("card_declined", "insufficient_funds");
        gateway.charge(EVT_123);
        stripe.createsPaymentIntents();
        Charged paid = assertInstanceOf(Charged.class, gateway.charge(EVT_123.attempt(2)));

        assertEquals(new LookupResult.Paid(paid.transactionId()), gateway.lookup(EVT_123.attempt(3)));
        assertEquals(2, stripe.paymentIntentsCreated());
    }

    @Test
    void an_attempt_still_processing_wins_over_a_declined_one() {
        StripePaymentGateway gateway = gateway();
        stripe.declines("card_declined", "insufficient_funds");
        gateway.charge(EVT_123);
        stripe.createsPaymentIntentsIn("processing");
        gateway.charge(EVT_123.attempt(2));

        LookupResult.Unclear unclear = assertInstanceOf(LookupResult.Unclear.class, gateway.lookup(EVT_123.attempt(3)));

        assertEquals(Optional.of(new TransactionId("pi_standin000002")), unclear.reference());
        assertEquals(2, stripe.paymentIntentsCreated());
    }

    @Test
    void a_declined_attempt_alone_is_found_declined() {
        stripe.declines("card_declined", "insufficient_funds");
        StripePaymentGateway gateway = gateway();
        gateway.charge(EVT_123);

        assertEquals(new LookupResult.Declined("insufficient_funds"), gateway.lookup(EVT_123.attempt(2)));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void event_ids_with_quotes_and_backslashes_are_escaped_in_the_search() {
        PaymentRequest odd = event("evt_'quoted'\\back", 1000, "EUR");
        StripePaymentGateway gateway = gateway();
        Charged paid = assertInstanceOf(Charged.class, gateway.charge(odd));

        assertEquals(new LookupResult.Paid(paid.transactionId()), gateway.lookup(odd));
        assertEquals("metadata['event_id']:'evt_\\'quoted\\'\\\\back' AND metadata['payhook_prefix']:'webhook:'",
                stripe.allRequests().getLast().queryParameters().get("query"));
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void a_search_or_retrieval_that_fails_is_unclear(int status) {
        stripe.lookupsFail(status);
        StripePaymentGateway gateway = gateway();

        LookupResult searched = gateway.lookup(EVT_123);
        LookupResult retrieved = gateway.lookup(EVT_123.withReference(Optional.of(new TransactionId("pi_x"))));

        assertTrue(assertInstanceOf(LookupResult.Unclear.class, searched).reason().contains("HTTP " + status));
        assertTrue(assertInstanceOf(LookupResult.Unclear.class, retrieved).reason().contains("HTTP " + status));
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_lookup_when_the_api_is_unreachable_is_unclear() throws IOException {
        LookupResult result = gateway(closedPort(), StripeStandIn.API_KEY, Optional.empty(), Duration.ofSeconds(2), PREFIX)
                .lookup(EVT_123);

        assertInstanceOf(LookupResult.Unclear.class, result);
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    // ---- amounts Stripe would refuse

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"49,USD", "29,GBP", "49,JPY", "100000000,EUR", "1005,KWD", "150,ISK", "1000,XXX"})
    void an_amount_stripe_would_refuse_is_refused_before_anything_is_sent(long amount, String currency) {
        StripePaymentGateway gateway = gateway();

        Optional<String> refusal = gateway.refusal(event("evt_small", amount, currency));

        assertTrue(refusal.isPresent(), amount + " " + currency);
        assertEquals(0, stripe.allRequests().size());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void an_amount_stripe_takes_is_not_refused() {
        assertEquals(Optional.empty(), gateway().refusal(EVT_123));
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    // ---- the API key

    @Test
    void the_start_up_check_reads_one_payment_intent_with_the_key_and_finds_no_problem() {
        StripePaymentGateway gateway = gateway();

        gateway.verifyCredentials();

        ReceivedRequest check = stripe.allRequests().getFirst();
        assertEquals("GET", check.method());
        assertEquals("/v1/payment_intents", check.path());
        assertEquals("1", check.queryParameters().get("limit"));
        assertEquals("Bearer " + StripeStandIn.API_KEY, check.header("Authorization"));
        assertEquals(Optional.empty(), gateway.problem());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_key_stripe_refuses_at_start_up_is_a_problem_that_never_shows_the_key() {
        String revoked = "sk_test_51RevokedKeyThatStripeRefuses";
        StripePaymentGateway gateway = gateway(stripe.baseUrl(), revoked, Optional.empty(), Duration.ofSeconds(5), PREFIX);

        gateway.verifyCredentials();

        String problem = gateway.problem().orElseThrow();
        assertTrue(problem.contains("HTTP 401"), problem);
        assertFalse(problem.contains(revoked), problem);
        assertFalse(problem.contains("sk_test_"), problem);
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void an_api_that_cannot_be_reached_at_start_up_is_no_problem() throws IOException {
        StripePaymentGateway gateway = gateway(closedPort(), StripeStandIn.API_KEY, Optional.empty(),
                Duration.ofSeconds(2), PREFIX);

        gateway.verifyCredentials();

        assertEquals(Optional.empty(), gateway.problem());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void a_charge_refused_for_its_key_is_a_problem_until_stripe_accepts_the_key_again() {
        stripe.fails(403, "invalid_request_error", null, "The provided key does not have the required permissions");
        StripePaymentGateway gateway = gateway();

        gateway.charge(EVT_123);
        Optional<String> refused = gateway.problem();
        stripe.createsPaymentIntents();
        gateway.charge(EVT_123);

        assertTrue(refused.orElseThrow().contains("HTTP 403"), refused.toString());
        assertEquals(Optional.empty(), gateway.problem());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void while_the_key_is_refused_readiness_checks_ask_stripe_again_in_the_background() throws InterruptedException {
        stripe.fails(401, "invalid_request_error", null, "Expired API Key provided");
        StripePaymentGateway gateway = open(new StripeSettings(StripeStandIn.API_KEY, stripe.baseUrl(),
                StripeSettings.TEST_PAYMENT_METHOD, Optional.empty(), Duration.ofSeconds(5), PREFIX,
                StripeSettings.DEFAULT_SEARCH_LAG), Duration.ZERO);
        gateway.charge(EVT_123);

        // The key works again (the list endpoint accepts it): the next readiness checks notice without a charge.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gateway.problem().isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the problem stayed: " + gateway.problem());
            }
            Thread.sleep(20);
        }

        assertTrue(stripe.allRequests().stream().anyMatch(request -> request.method().equals("GET")));
        assertEquals(1, stripe.requestCount());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void settings_never_show_the_api_key() {
        StripeSettings settings = new StripeSettings(StripeStandIn.API_KEY, stripe.baseUrl(), "pm_card_visa",
                Optional.empty(), Duration.ofSeconds(1), PREFIX, StripeSettings.DEFAULT_SEARCH_LAG);

        assertFalse(settings.toString().contains(StripeStandIn.API_KEY), settings.toString());
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private static void awaitCreateRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (stripe.requestCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the stand-in saw " + stripe.requestCount() + " create requests, expected " + count);
            }
            Thread.sleep(10);
        }
    }
}
