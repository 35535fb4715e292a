package dev.payhook.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.domain.TransactionId;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeLimitedPaymentGatewayTest {

    private static final PaymentRequest REQUEST = new PaymentRequest(new EventId("evt_1"), 10, Currency.of("USD"));

    @Test
    void a_charge_that_outlives_the_timeout_has_an_unknown_outcome_and_returns_on_time() {
        var slow = new SimulatedPaymentGateway(new SimulationSettings(Duration.ofSeconds(5), 0, 0), new java.util.Random(),
                Duration.ofMinutes(1));
        try (var gateway = new TimeLimitedPaymentGateway(slow, Duration.ofMillis(200))) {
            long started = System.nanoTime();

            ChargeResult result = gateway.charge(REQUEST);

            assertEquals(new ChargeResult.Unknown("payment gateway timed out after 200 ms"), result);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 2_000);
        }
    }

    @Test
    void a_charge_within_the_timeout_passes_through() {
        try (var gateway = new TimeLimitedPaymentGateway(
                new SimulatedPaymentGateway(SimulationSettings.WELL_BEHAVED, new java.util.Random(), Duration.ofSeconds(5)),
                Duration.ofSeconds(5))) {

            assertEquals(new ChargeResult.Charged(new TransactionId("txn_10")), gateway.charge(REQUEST));
        }
    }

    @Test
    void a_delegate_that_throws_leaves_the_outcome_unknown() {
        try (var gateway = new TimeLimitedPaymentGateway(new PaymentGateway() {
            @Override
            public ChargeResult charge(PaymentRequest request) {
                throw new IllegalStateException("boom");
            }

            @Override
            public LookupResult lookup(PaymentRequest request) {
                throw new IllegalStateException("boom");
            }
        }, Duration.ofSeconds(5))) {

            assertEquals(new ChargeResult.Unknown("gateway error: IllegalStateException"), gateway.charge(REQUEST));
            assertEquals(new LookupResult.Unclear("gateway error: IllegalStateException", Optional.empty()),
                    gateway.lookup(REQUEST));
        }
    }
}
