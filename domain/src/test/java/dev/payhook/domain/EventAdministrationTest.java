package dev.payhook.domain;

import static dev.payhook.domain.fixtures.PaymentEvents.anEventOf;
import static dev.payhook.domain.fixtures.PaymentEvents.withAmount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.fixtures.MutableClock;
import dev.payhook.domain.fixtures.RecordingPaymentGateway;
import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventAdministrationTest {

    private final MutableClock clock = MutableClock.startingAtAFixedInstant();
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock);
    private final RecordingPaymentGateway gateway = new RecordingPaymentGateway();
    private final WebhookProcessor processor = new WebhookProcessor(store, gateway, IdempotencyPolicy.DEFAULT,
            ClaimToken.random(), ProcessingObserver.NONE,
            new PendingCompletions(store, ProcessingObserver.NONE, clock, 10), clock);
    private final EventAdministration admin = new EventAdministration(store, gateway, IdempotencyPolicy.DEFAULT);

    @Test
    void a_failed_record_is_released_and_the_next_delivery_pays() {
        PaymentEvent event = anEventOf(1000);
        gateway.always(new ChargeResult.Failed("authentication failed"));
        processor.process(event);

        AdminOutcome released = admin.release(event.id());

        assertInstanceOf(AdminOutcome.Released.class, released);
        gateway.answering(RecordingPaymentGateway::chargedByAmount);
        assertInstanceOf(WebhookOutcome.Processed.class, processor.process(event));
    }

    @Test
    void paid_declined_in_progress_and_unknown_records_are_never_released() {
        PaymentEvent paid = anEventOf(1);
        processor.process(paid);
        PaymentEvent unknown = anEventOf(2);
        gateway.always(new ChargeResult.Unknown("HTTP 500"));
        processor.process(unknown);
        PaymentEvent inProgress = anEventOf(3);
        store.claim(inProgress.id(), IdempotencyPolicy.DEFAULT.claimFor(inProgress.fingerprint(),
                ClaimToken.random().get()));

        for (PaymentEvent event : new PaymentEvent[]{paid, unknown, inProgress}) {
            HeldRecord before = store.inspect(event.id()).orElseThrow();
            AdminOutcome.Refused refused = assertInstanceOf(AdminOutcome.Refused.class, admin.release(event.id()));
            assertTrue(refused.why().contains("deleting") || refused.why().contains("Reconcile"), refused.why());
            assertEquals(before, store.inspect(event.id()).orElseThrow(), "the record is left intact");
        }
    }

    @Test
    void reconciling_an_unknown_outcome_records_the_payment_the_provider_found() {
        PaymentEvent event = anEventOf(1000);
        gateway.always(new ChargeResult.Unknown("timed out", Optional.of(new TransactionId("pi_9"))));
        processor.process(event);
        gateway.finding(new LookupResult.Paid(new TransactionId("pi_9")));

        AdminOutcome outcome = admin.reconcile(event);

        AdminOutcome.Reconciled reconciled = assertInstanceOf(AdminOutcome.Reconciled.class, outcome);
        assertTrue(reconciled.recorded());
        assertEquals(new IdempotencyRecord.Succeeded(event.fingerprint(), new TransactionId("pi_9")),
                store.inspect(event.id()).orElseThrow().record());
        assertEquals(Optional.of(new TransactionId("pi_9")), gateway.lookups().getFirst().reference());
        assertEquals(new WebhookOutcome.AlreadyProcessed(event.id(), new TransactionId("pi_9")), processor.process(event));
        assertEquals(1, gateway.calls());
    }

    @Test
    void an_unknown_outcome_the_provider_found_no_payment_for_becomes_a_failure_that_can_be_released() {
        PaymentEvent event = anEventOf(1000);
        gateway.always(new ChargeResult.Unknown("HTTP 500"));
        processor.process(event);

        AdminOutcome outcome = admin.reconcile(event);

        assertEquals(new IdempotencyRecord.Failed(event.fingerprint(), EventAdministration.FOUND_NO_PAYMENT),
                assertInstanceOf(AdminOutcome.Reconciled.class, outcome).now());
        assertEquals(IdempotencyPolicy.DEFAULT.failureTtl(), store.inspect(event.id()).orElseThrow().remaining());
        assertInstanceOf(AdminOutcome.Released.class, admin.release(event.id()));
    }

    @Test
    void a_provider_that_cannot_tell_leaves_the_record_as_it_was() {
        PaymentEvent event = anEventOf(1000);
        gateway.always(new ChargeResult.Unknown("HTTP 500"));
        processor.process(event);
        gateway.finding(new LookupResult.Unclear("search unavailable", Optional.empty()));
        HeldRecord before = store.inspect(event.id()).orElseThrow();

        AdminOutcome.Reconciled outcome = assertInstanceOf(AdminOutcome.Reconciled.class, admin.reconcile(event));

        assertEquals(false, outcome.recorded());
        assertEquals(before, store.inspect(event.id()).orElseThrow());
    }

    @Test
    void reconciling_with_another_amount_or_a_record_in_another_state_is_refused() {
        PaymentEvent event = anEventOf(1000);
        processor.process(event);

        assertInstanceOf(AdminOutcome.Refused.class, admin.reconcile(event));
        assertInstanceOf(AdminOutcome.Mismatch.class, admin.reconcile(withAmount(event, 5)));
        assertInstanceOf(AdminOutcome.Missing.class, admin.reconcile(anEventOf(7)));
        assertEquals(0, gateway.lookups().size());
    }

    @Test
    void a_record_that_changed_since_it_was_looked_at_is_left_alone() {
        PaymentEvent event = anEventOf(1000);
        gateway.always(new ChargeResult.Failed("authentication failed"));
        processor.process(event);
        HeldRecord seen = store.inspect(event.id()).orElseThrow();
        clock.advance(Duration.ofHours(2));
        gateway.answering(RecordingPaymentGateway::chargedByAmount);
        processor.process(event);

        assertEquals(false, store.replace(event.id(), seen.version(), Optional.empty(), Duration.ZERO));
        assertEquals(RecordState.SUCCEEDED, store.inspect(event.id()).orElseThrow().state());
    }
}
