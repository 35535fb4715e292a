package dev.payhook.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.ChargeResult.Charged;
import dev.payhook.domain.ChargeResult.Failed;
import dev.payhook.domain.ChargeResult.NotAttempted;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.domain.fixtures.MutableClock;
import dev.payhook.payment.fixtures.StripeStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The circuit breaker in front of the Stripe gateway, against a stand-in Stripe API over real HTTP. Time in
 * the open state comes from a clock the test moves; calls are real.
 */
class CircuitBreakingPaymentGatewayTest {

    /** Opens when 2 of the last 4 calls (at least 4 made) failed; open 30 s; 2 trial calls. */
    private static final CircuitBreakerSettings SETTINGS =
            new CircuitBreakerSettings(0.5, 4, 4, Duration.ofSeconds(30), 2);

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    private final MutableClock clock = MutableClock.startingAtAFixedInstant();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger events = new AtomicInteger();

    /** As the service wires them, outermost first: breaker, bulkhead, time limit, Stripe. */
    private CircuitBreakingPaymentGateway breaker(CircuitBreakerSettings settings, Duration timeout, int maxConcurrent) {
        PaymentGateway stripeGateway = new StripePaymentGateway(new StripeSettings(StripeStandIn.API_KEY,
                stripe.baseUrl(), StripeSettings.TEST_PAYMENT_METHOD, Optional.empty(), timeout, "webhook:",
                StripeSettings.DEFAULT_SEARCH_LAG));
        return new CircuitBreakingPaymentGateway(new BulkheadPaymentGateway(
                new TimeLimitedPaymentGateway(stripeGateway, timeout), maxConcurrent, "stripe", meters),
                "stripe", settings, meters, clock);
    }

    private CircuitBreakingPaymentGateway breaker(CircuitBreakerSettings settings, Duration timeout) {
        return breaker(settings, timeout, 100);
    }

    private CircuitBreakingPaymentGateway breaker() {
        return breaker(SETTINGS, Duration.ofSeconds(5));
    }

    private ChargeResult chargeANewEvent(PaymentGateway gateway) {
        return gateway.charge(new PaymentRequest(new EventId("evt_" + events.incrementAndGet()), 500, Currency.of("USD")));
    }

    private void failFourTimes(PaymentGateway gateway) {
        stripe.fails(500, "api_error", null, "internal error");
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(ChargeResult.Unknown.class, chargeANewEvent(gateway));
        }
    }

    private double state(String state) {
        return meters.get("resilience4j.circuitbreaker.state").tag("name", "stripe").tag("state", state).gauge().value();
    }

    @Test
    void it_starts_closed_and_lets_charges_through() {
        stripe.createsPaymentIntents();
        CircuitBreakingPaymentGateway gateway = breaker();

        assertInstanceOf(Charged.class, chargeANewEvent(gateway));
        assertEquals(1, stripe.requestCount());
        assertEquals(1, stripe.paymentIntentsCreated());
        assertEquals(1.0, state("closed"));
    }

    @Test
    void after_the_configured_failures_it_opens_and_nothing_reaches_the_provider() {
        CircuitBreakingPaymentGateway gateway = breaker();
        failFourTimes(gateway);

        ChargeResult refused = chargeANewEvent(gateway);
        for (int i = 0; i < 10; i++) {
            chargeANewEvent(gateway);
        }

        NotAttempted notAttempted = assertInstanceOf(NotAttempted.class, refused);
        assertEquals(Duration.ofSeconds(30), notAttempted.retryAfter());
        assertTrue(notAttempted.reason().contains("circuit breaker open"), notAttempted.reason());
        assertEquals(4, stripe.requestCount());
        assertEquals(0, stripe.paymentIntentsCreated());
        assertEquals(1.0, state("open"));
        assertEquals(0.0, state("closed"));
    }

    @Test
    void retry_after_counts_down_while_it_is_open() {
        CircuitBreakingPaymentGateway gateway = breaker();
        failFourTimes(gateway);

        clock.advance(Duration.ofSeconds(12));

        assertEquals(Duration.ofSeconds(18), assertInstanceOf(NotAttempted.class, chargeANewEvent(gateway)).retryAfter());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void once_the_open_duration_has_passed_successful_trial_calls_close_it() {
        CircuitBreakingPaymentGateway gateway = breaker();
        failFourTimes(gateway);
        stripe.createsPaymentIntents();

        clock.advance(Duration.ofSeconds(31));
        ChargeResult firstTrial = chargeANewEvent(gateway);
        double halfOpenAfterFirstTrial = state("half_open");
        ChargeResult secondTrial = chargeANewEvent(gateway);

        assertInstanceOf(Charged.class, firstTrial);
        assertInstanceOf(Charged.class, secondTrial);
        assertEquals(1.0, halfOpenAfterFirstTrial);
        assertEquals(1.0, state("closed"));
        assertEquals(4 + 2, stripe.requestCount());
        assertInstanceOf(Charged.class, chargeANewEvent(gateway));
        assertEquals(3, stripe.paymentIntentsCreated());
    }

    @Test
    void failed_trial_calls_open_it_again_for_the_full_duration() {
        CircuitBreakingPaymentGateway gateway = breaker();
        failFourTimes(gateway);

        clock.advance(Duration.ofSeconds(31));
        assertInstanceOf(ChargeResult.Unknown.class, chargeANewEvent(gateway));
        assertInstanceOf(ChargeResult.Unknown.class, chargeANewEvent(gateway));
        ChargeResult afterTrials = chargeANewEvent(gateway);

        assertEquals(Duration.ofSeconds(30), assertInstanceOf(NotAttempted.class, afterTrials).retryAfter());
        assertEquals(1.0, state("open"));
        assertEquals(4 + 2, stripe.requestCount());
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void while_half_open_calls_beyond_the_trial_calls_are_not_attempted() throws Exception {
        CircuitBreakingPaymentGateway gateway = breaker(
                new CircuitBreakerSettings(0.5, 4, 4, Duration.ofSeconds(30), 1), Duration.ofSeconds(5));
        failFourTimes(gateway);
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofMillis(1_500));
        clock.advance(Duration.ofSeconds(31));

        CompletableFuture<ChargeResult> trial = CompletableFuture.supplyAsync(() -> chargeANewEvent(gateway));
        awaitRequests(4 + 1);
        ChargeResult meanwhile = chargeANewEvent(gateway);

        NotAttempted notAttempted = assertInstanceOf(NotAttempted.class, meanwhile);
        assertTrue(notAttempted.reason().contains("half_open"), notAttempted.reason());
        assertEquals(Duration.ofSeconds(1), notAttempted.retryAfter());
        assertInstanceOf(Charged.class, trial.get());
        assertEquals(1, stripe.paymentIntentsCreated());
        assertEquals(1.0, state("closed"));
    }

    @Test
    void declines_and_errors_a_retry_would_repeat_do_not_open_it() {
        CircuitBreakingPaymentGateway gateway = breaker();
        stripe.declines("card_declined", "insufficient_funds");
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(ChargeResult.Declined.class, chargeANewEvent(gateway));
        }
        stripe.fails(401, "invalid_request_error", null, "Invalid API Key provided");
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(Failed.class, chargeANewEvent(gateway));
        }

        assertEquals(10, stripe.requestCount());
        assertEquals(5, stripe.paymentIntentsCreated(), "a declined card leaves a PaymentIntent, as at Stripe");
        assertEquals(1.0, state("closed"));
    }

    @Test
    void charges_the_provider_did_not_execute_do_not_open_it() {
        CircuitBreakingPaymentGateway gateway = breaker();
        stripe.rateLimits();
        for (int i = 0; i < 10; i++) {
            assertInstanceOf(NotAttempted.class, chargeANewEvent(gateway));
        }

        assertEquals(10, stripe.requestCount());
        assertEquals(0, stripe.paymentIntentsCreated());
        assertEquals(1.0, state("closed"));
    }

    @Test
    void charges_turned_away_by_a_full_bulkhead_do_not_open_it() throws Exception {
        CircuitBreakingPaymentGateway gateway = breaker(SETTINGS, Duration.ofSeconds(5), 1);
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofMillis(1_500));

        CompletableFuture<ChargeResult> holding = CompletableFuture.supplyAsync(() -> chargeANewEvent(gateway));
        awaitRequests(1);
        for (int i = 0; i < 10; i++) {
            NotAttempted full = assertInstanceOf(NotAttempted.class, chargeANewEvent(gateway));
            assertTrue(full.reason().contains("bulkhead full"), full.reason());
        }

        assertInstanceOf(Charged.class, holding.get());
        assertEquals(1, stripe.requestCount());
        assertEquals(1, stripe.paymentIntentsCreated());
        assertEquals(1.0, state("closed"));
    }

    @Test
    void a_provider_that_hangs_past_the_timeout_opens_it() {
        CircuitBreakingPaymentGateway gateway = breaker(SETTINGS, Duration.ofMillis(250));
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofSeconds(3));

        long started = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(ChargeResult.Unknown.class, chargeANewEvent(gateway));
        }
        ChargeResult fifth = chargeANewEvent(gateway);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertInstanceOf(NotAttempted.class, fifth);
        assertEquals(4, stripe.requestCount());
        assertEquals(4, stripe.paymentIntentsCreated(), "the stand-in made each payment; only the answers were late");
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "five calls took " + took);
    }

    private static void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (stripe.requestCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the stand-in saw " + stripe.requestCount() + " requests, expected " + count);
            }
            Thread.sleep(10);
        }
    }
}
