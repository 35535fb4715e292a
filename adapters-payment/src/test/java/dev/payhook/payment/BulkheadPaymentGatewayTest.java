package dev.payhook.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.domain.TransactionId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkheadPaymentGatewayTest {

    private static final PaymentRequest REQUEST = new PaymentRequest(new EventId("evt_1"), 1000, Currency.of("USD"));

    /** Holds every call until released; counts the calls it got. */
    private static final class HoldingGateway implements PaymentGateway {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ChargeResult charge(PaymentRequest request) {
            hold();
            return new ChargeResult.Charged(new TransactionId("txn_" + request.eventId()));
        }

        @Override
        public LookupResult lookup(PaymentRequest request) {
            hold();
            return new LookupResult.NotFound();
        }

        @Override
        public Optional<String> refusal(PaymentRequest request) {
            return Optional.of("too small");
        }

        @Override
        public Optional<String> problem() {
            return Optional.of("key refused");
        }

        private void hold() {
            calls.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final HoldingGateway holding = new HoldingGateway();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BulkheadPaymentGateway bulkhead = new BulkheadPaymentGateway(holding, 2, "stripe", meters);
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void releaseHeldCalls() {
        holding.release.countDown();
        inFlight.forEach(CompletableFuture::join);
        threads.close();
    }

    private double gauge() {
        return meters.get("payment.gateway.in.flight").tag("gateway", "stripe").gauge().value();
    }

    private void fill() throws InterruptedException {
        inFlight.add(CompletableFuture.supplyAsync(() -> bulkhead.charge(REQUEST), threads));
        inFlight.add(CompletableFuture.supplyAsync(() -> bulkhead.lookup(REQUEST), threads));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (holding.calls.get() < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the held calls did not start");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void a_charge_beyond_the_limit_is_not_attempted_and_never_reaches_the_gateway() throws InterruptedException {
        fill();

        ChargeResult turnedAway = bulkhead.charge(REQUEST);

        assertEquals(new ChargeResult.NotAttempted(
                "payment bulkhead full: 2 charges in flight (PAYMENT_MAX_CONCURRENCY)", Duration.ofSeconds(1)), turnedAway);
        assertEquals(2, holding.calls.get());
        assertEquals(2.0, gauge());
    }

    @Test
    void a_lookup_beyond_the_limit_is_unclear_and_never_reaches_the_gateway() throws InterruptedException {
        fill();

        LookupResult turnedAway = bulkhead.lookup(REQUEST);

        assertInstanceOf(LookupResult.Unclear.class, turnedAway);
        assertEquals(2, holding.calls.get());
    }

    @Test
    void calls_that_end_give_their_place_back() throws InterruptedException {
        fill();
        holding.release.countDown();
        inFlight.forEach(CompletableFuture::join);

        assertEquals(0.0, gauge());
        assertInstanceOf(ChargeResult.Charged.class, bulkhead.charge(REQUEST));
        assertEquals(3, holding.calls.get());
    }

    @Test
    void a_gateway_that_throws_gives_its_place_back() {
        BulkheadPaymentGateway throwing = new BulkheadPaymentGateway(new PaymentGateway() {
            @Override
            public ChargeResult charge(PaymentRequest request) {
                throw new IllegalStateException("boom");
            }

            @Override
            public LookupResult lookup(PaymentRequest request) {
                throw new IllegalStateException("boom");
            }
        }, 1, "simulated", meters);

        assertThrows(IllegalStateException.class, () -> throwing.charge(REQUEST));
        assertThrows(IllegalStateException.class, () -> throwing.charge(REQUEST));

        assertEquals(0.0, meters.get("payment.gateway.in.flight").tag("gateway", "simulated").gauge().value());
    }

    @Test
    void refusals_and_problems_are_the_gateways_own() {
        assertEquals(Optional.of("too small"), bulkhead.refusal(REQUEST));
        assertEquals(Optional.of("key refused"), bulkhead.problem());
        assertEquals(0, holding.calls.get());
    }

    @Test
    void a_limit_below_one_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new BulkheadPaymentGateway(holding, 0, "x", meters));
    }
}
