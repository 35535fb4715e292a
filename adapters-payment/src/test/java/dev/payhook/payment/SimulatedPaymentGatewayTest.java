package dev.payhook.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.domain.TransactionId;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedPaymentGatewayTest {

    private static PaymentRequest request(String eventId, long amount) {
        return new PaymentRequest(new EventId(eventId), amount, Currency.of("USD"));
    }

    private static SimulatedPaymentGateway gateway(SimulationSettings settings) {
        return new SimulatedPaymentGateway(settings, new Random(42), Duration.ofSeconds(10));
    }

    @Test
    void a_latency_past_the_timeout_is_cut_off_there_and_leaves_the_outcome_open() {
        var slow = new SimulatedPaymentGateway(new SimulationSettings(Duration.ofSeconds(30), 0, 0), new Random(42),
                Duration.ofMillis(200));
        long started = System.nanoTime();

        ChargeResult charge = slow.charge(request("evt_slow", 100));
        LookupResult lookup = slow.lookup(request("evt_slow", 100));

        assertEquals(new ChargeResult.Unknown("payment gateway timed out after 200 ms"), charge);
        assertEquals(new LookupResult.Unclear("payment gateway timed out after 200 ms", Optional.empty()), lookup);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 10_000, "waited out the latency");
    }

    @Test
    void charges_like_the_original_service() {
        ChargeResult result = gateway(SimulationSettings.WELL_BEHAVED).charge(request("evt_123", 1000));

        assertEquals(new ChargeResult.Charged(new TransactionId("txn_1000")), result);
    }

    @Test
    void the_same_idempotency_key_gets_the_same_answer_and_is_never_charged_twice() {
        SimulatedPaymentGateway gateway = gateway(new SimulationSettings(Duration.ZERO, 0, 0.5));
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            answers.add(gateway.charge(request("evt_same", 1000)).label());
        }
        assertEquals(1, answers.size());
    }

    @Test
    void a_decline_rate_of_one_declines_every_new_key_and_remembers_it() {
        SimulatedPaymentGateway gateway = gateway(new SimulationSettings(Duration.ZERO, 0, 1));

        assertEquals(new ChargeResult.Declined("card_declined"), gateway.charge(request("evt_1", 10)));
        assertEquals(new ChargeResult.Declined("card_declined"), gateway.charge(request("evt_1", 10)));
    }

    @Test
    void provider_errors_are_not_remembered_so_a_retry_can_succeed() {
        SimulatedPaymentGateway gateway = gateway(new SimulationSettings(Duration.ZERO, 0.5, 0));
        for (int i = 0; i < 50; i++) {
            if (gateway.charge(request("evt_flaky_" + i, 10)) instanceof ChargeResult.Unknown) {
                assertEquals("charged", chargeUntilNotFailed(gateway, request("evt_flaky_" + i, 10)));
                return;
            }
        }
        throw new AssertionError("a failure rate of 0.5 produced no failure in 50 calls");
    }

    private static String chargeUntilNotFailed(SimulatedPaymentGateway gateway, PaymentRequest request) {
        String label = "unknown";
        for (int i = 0; i < 50 && label.equals("unknown"); i++) {
            label = gateway.charge(request).label();
        }
        return label;
    }

    @Test
    void a_failure_rate_of_one_leaves_every_outcome_unknown_and_a_lookup_finds_nothing() {
        SimulatedPaymentGateway gateway = gateway(new SimulationSettings(Duration.ZERO, 1, 0));

        assertInstanceOf(ChargeResult.Unknown.class, gateway.charge(request("evt_1", 10)));
        assertEquals(new LookupResult.NotFound(), gateway.lookup(request("evt_1", 10)));
    }

    @Test
    void a_lookup_finds_what_any_attempt_of_the_event_came_to() {
        SimulatedPaymentGateway gateway = gateway(SimulationSettings.WELL_BEHAVED);
        gateway.charge(request("evt_1", 10).attempt(2));

        assertEquals(new LookupResult.Paid(new TransactionId("txn_10")), gateway.lookup(request("evt_1", 10)));
        assertEquals(new LookupResult.NotFound(), gateway.lookup(request("evt_2", 10)));
    }

    @Test
    void rates_split_roughly_as_configured() {
        SimulatedPaymentGateway gateway = gateway(new SimulationSettings(Duration.ZERO, 0, 0.3));
        int declines = 0;
        for (int i = 0; i < 2000; i++) {
            if (gateway.charge(request("evt_" + i, 10)) instanceof ChargeResult.Declined) {
                declines++;
            }
        }
        assertTrue(declines > 500 && declines < 700, "declines: " + declines);
    }

    @Test
    void latency_is_added_to_every_call() {
        SimulatedPaymentGateway gateway = gateway(new SimulationSettings(Duration.ofMillis(120), 0, 0));

        long started = System.nanoTime();
        gateway.charge(request("evt_1", 10));

        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 120);
    }

    @Test
    void different_keys_are_separate_payments() {
        SimulatedPaymentGateway gateway = gateway(SimulationSettings.WELL_BEHAVED);

        assertNotEquals(gateway.charge(request("evt_1", 10)), gateway.charge(request("evt_2", 20)));
    }

    @Test
    void rates_outside_zero_to_one_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> new SimulationSettings(Duration.ZERO, 1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new SimulationSettings(Duration.ZERO, 0, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new SimulationSettings(Duration.ZERO, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new SimulationSettings(Duration.ofMillis(-1), 0, 0));
    }
}
