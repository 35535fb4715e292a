package dev.payhook.domain;

import static dev.payhook.domain.fixtures.PaymentEvents.anEvent;
import static dev.payhook.domain.fixtures.PaymentEvents.anEventOf;
import static dev.payhook.domain.fixtures.PaymentEvents.withAmount;
import static dev.payhook.domain.fixtures.PaymentEvents.withCurrency;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.fixtures.MutableClock;
import dev.payhook.domain.fixtures.RecordingPaymentGateway;
import dev.payhook.domain.fixtures.SwitchableStore;
import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WebhookProcessorTest {

    private static final IdempotencyPolicy POLICY = new IdempotencyPolicy(Duration.ofHours(24), Duration.ofHours(1),
            Duration.ofSeconds(30), Duration.ofMinutes(1));

    private final MutableClock clock = MutableClock.startingAtAFixedInstant();
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock);
    private final RecordingPaymentGateway gateway = new RecordingPaymentGateway();
    private final RecordingObserver observer = new RecordingObserver();
    private final WebhookProcessor processor = processorOn(store);

    private WebhookProcessor processorOn(IdempotencyStore idempotencyStore) {
        return new WebhookProcessor(idempotencyStore, gateway, POLICY, ClaimToken.random(), observer,
                pendingOn(idempotencyStore), clock);
    }

    private PendingCompletions pendingOn(IdempotencyStore idempotencyStore) {
        return new PendingCompletions(idempotencyStore, observer, clock, PendingCompletions.DEFAULT_CAPACITY);
    }

    @Test
    void a_new_event_is_charged_once_with_its_id_as_idempotency_key() {
        PaymentEvent event = anEventOf(1000);

        WebhookOutcome outcome = processor.process(event);

        assertEquals(new WebhookOutcome.Processed(event.id(), new TransactionId("txn_1000")), outcome);
        assertEquals(List.of(PaymentRequest.of(event)), gateway.requests());
        assertEquals(event.id().value(), gateway.requests().getFirst().idempotencyKey());
        StoredRecord stored = store.find(event.id()).orElseThrow();
        assertEquals(new IdempotencyRecord.Succeeded(event.fingerprint(), new TransactionId("txn_1000")), stored.record());
        assertEquals(POLICY.successTtl(), stored.remaining());
    }

    @Test
    void a_duplicate_delivery_replays_the_original_transaction_without_charging() {
        PaymentEvent event = anEventOf(1000);
        processor.process(event);

        WebhookOutcome outcome = processor.process(event);

        assertEquals(new WebhookOutcome.AlreadyProcessed(event.id(), new TransactionId("txn_1000")), outcome);
        assertEquals(1, gateway.calls());
    }

    @Test
    void the_same_id_with_another_amount_is_a_mismatch_and_never_a_payment() {
        PaymentEvent event = anEventOf(1000);
        processor.process(event);

        WebhookOutcome outcome = processor.process(withAmount(event, 999));

        assertEquals(new WebhookOutcome.PayloadMismatch(event.id()), outcome);
        assertEquals(1, gateway.calls());
    }

    @Test
    void the_same_id_with_another_currency_is_a_mismatch() {
        PaymentEvent event = anEvent();
        processor.process(event);

        assertEquals(new WebhookOutcome.PayloadMismatch(event.id()), processor.process(withCurrency(event, "EUR")));
    }

    @Test
    void a_mismatch_is_reported_even_while_the_original_is_in_progress() {
        PaymentEvent event = anEvent();
        store.claim(event.id(), POLICY.claimFor(event.fingerprint(), ClaimToken.random().get()));

        assertEquals(new WebhookOutcome.PayloadMismatch(event.id()), processor.process(withAmount(event, 1)));
    }

    @Test
    void a_delivery_during_a_live_claim_is_told_how_long_the_lease_still_runs() {
        PaymentEvent event = anEvent();
        store.claim(event.id(), POLICY.claimFor(event.fingerprint(), ClaimToken.random().get()));
        clock.advance(Duration.ofSeconds(12));

        WebhookOutcome outcome = processor.process(event);

        assertEquals(new WebhookOutcome.InProgress(event.id(), Duration.ofSeconds(18)), outcome);
        assertEquals(0, gateway.calls());
    }

    @Test
    void a_decline_is_final_and_replayed_without_a_second_charge() {
        gateway.always(new ChargeResult.Declined("card_declined"));
        PaymentEvent event = anEvent();

        assertEquals(new WebhookOutcome.Declined(event.id(), "card_declined", false), processor.process(event));
        assertEquals(new WebhookOutcome.Declined(event.id(), "card_declined", true), processor.process(event));
        assertEquals(1, gateway.calls());
        assertEquals(POLICY.successTtl(), store.find(event.id()).orElseThrow().remaining());
    }

    @Test
    void a_request_the_provider_refused_is_recorded_as_failed_and_retries_are_held_off_until_it_expires() {
        gateway.always(new ChargeResult.Failed("authentication failed"));
        PaymentEvent event = anEvent();

        assertEquals(new WebhookOutcome.PaymentFailed(event.id(), "authentication failed"), processor.process(event));
        clock.advance(Duration.ofMinutes(20));
        assertEquals(new WebhookOutcome.RecentlyFailed(event.id(), Duration.ofMinutes(40)), processor.process(event));
        assertEquals(1, gateway.calls());

        clock.advance(Duration.ofMinutes(40));
        gateway.answering(RecordingPaymentGateway::chargedByAmount);
        assertInstanceOf(WebhookOutcome.Processed.class, processor.process(event));
        assertEquals(2, gateway.calls());
    }

    @Test
    void a_gateway_that_throws_leaves_the_outcome_unknown() {
        gateway.answering(request -> {
            throw new IllegalStateException("socket closed");
        });
        PaymentEvent event = anEvent();

        WebhookOutcome outcome = processor.process(event);

        assertEquals(new WebhookOutcome.PaymentPending(event.id(), POLICY.reconcileAfter()), outcome);
        IdempotencyRecord.Unknown unknown = assertInstanceOf(IdempotencyRecord.Unknown.class,
                store.find(event.id()).orElseThrow().record());
        assertEquals("gateway error: IllegalStateException", unknown.reason());
    }

    @Test
    void an_unknown_outcome_turns_deliveries_away_until_it_is_due_without_charging() {
        gateway.always(new ChargeResult.Unknown("HTTP 500"));
        PaymentEvent event = anEvent();

        assertEquals(new WebhookOutcome.PaymentPending(event.id(), Duration.ofMinutes(1)), processor.process(event));
        clock.advance(Duration.ofSeconds(20));

        assertEquals(new WebhookOutcome.PaymentPending(event.id(), Duration.ofSeconds(40)), processor.process(event));
        assertEquals(1, gateway.calls());
        assertEquals(List.of(), gateway.lookups());
        Instant charged = clock.instant().minusSeconds(20);
        assertEquals(new IdempotencyRecord.Unknown(event.fingerprint(), 1, "HTTP 500", Optional.empty(), charged, charged),
                store.find(event.id()).orElseThrow().record());
    }

    @Test
    void once_due_the_provider_is_asked_first_and_a_payment_it_found_is_answered_without_a_charge() {
        gateway.always(new ChargeResult.Unknown("HTTP 500", Optional.of(new TransactionId("pi_1"))));
        PaymentEvent event = anEventOf(1000);
        Instant sent = clock.instant();
        processor.process(event);
        clock.advance(Duration.ofMinutes(1));
        gateway.finding(new LookupResult.Paid(new TransactionId("pi_1")));

        WebhookOutcome outcome = processor.process(event);

        assertEquals(new WebhookOutcome.Processed(event.id(), new TransactionId("pi_1")), outcome);
        assertEquals(1, gateway.calls());
        assertEquals(List.of(PaymentRequest.of(event).attempt(2).withReference(Optional.of(new TransactionId("pi_1")))
                .sentAt(Optional.of(sent))), gateway.lookups());
        assertEquals(List.of("charged"), observer.reconciliations);
        assertEquals(List.of(Duration.ofMinutes(1)), observer.unknownAges);
        assertEquals(new WebhookOutcome.AlreadyProcessed(event.id(), new TransactionId("pi_1")), processor.process(event));
    }

    @Test
    void a_decline_the_provider_found_is_recorded_as_the_final_answer() {
        gateway.always(new ChargeResult.Unknown("timed out after sending"));
        PaymentEvent event = anEvent();
        processor.process(event);
        clock.advance(Duration.ofMinutes(1));
        gateway.finding(new LookupResult.Declined("insufficient_funds"));

        assertEquals(new WebhookOutcome.Declined(event.id(), "insufficient_funds", false), processor.process(event));
        assertEquals(new WebhookOutcome.Declined(event.id(), "insufficient_funds", true), processor.process(event));
        assertEquals(1, gateway.calls());
    }

    @Test
    void when_the_provider_found_nothing_the_next_attempt_is_charged_under_a_new_key() {
        gateway.always(new ChargeResult.Unknown("HTTP 500"));
        PaymentEvent event = anEventOf(1000);
        processor.process(event);
        clock.advance(Duration.ofMinutes(1));
        gateway.answering(RecordingPaymentGateway::chargedByAmount);

        assertEquals(new WebhookOutcome.Processed(event.id(), new TransactionId("txn_1000")), processor.process(event));
        assertEquals(List.of(event.id().value(), event.id().value() + ":2"),
                gateway.requests().stream().map(PaymentRequest::idempotencyKey).toList());
        assertEquals(List.of("not_found"), observer.reconciliations);
    }

    @Test
    void a_provider_that_cannot_tell_yet_keeps_the_outcome_unknown_and_is_asked_again_later() {
        gateway.always(new ChargeResult.Unknown("HTTP 500"));
        PaymentEvent event = anEvent();
        processor.process(event);
        clock.advance(Duration.ofMinutes(1));
        gateway.finding(new LookupResult.Unclear("still processing", Optional.of(new TransactionId("pi_7"))));

        assertEquals(new WebhookOutcome.PaymentPending(event.id(), Duration.ofMinutes(1)), processor.process(event));
        IdempotencyRecord.Unknown kept = assertInstanceOf(IdempotencyRecord.Unknown.class,
                store.find(event.id()).orElseThrow().record());
        assertEquals(1, kept.attempt(), "the next attempt was not sent");
        assertEquals(Optional.of(new TransactionId("pi_7")), kept.reference());
        assertEquals(clock.instant().minus(Duration.ofMinutes(1)), kept.since());
        assertEquals(kept.since(), kept.sent(), "the lookup sent nothing: the attempt's own time is kept");

        clock.advance(Duration.ofMinutes(1));
        gateway.finding(new LookupResult.Paid(new TransactionId("pi_7")));
        assertEquals(new WebhookOutcome.Processed(event.id(), new TransactionId("pi_7")), processor.process(event));
        assertEquals(2, gateway.lookups().size());
        assertEquals(Optional.of(kept.sent()), gateway.lookups().getLast().sent());
        assertEquals(1, gateway.calls());
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)), observer.unknownAges);
    }

    @Test
    void a_due_unknown_outcome_is_not_reconciled_by_the_same_id_with_another_amount() {
        gateway.always(new ChargeResult.Unknown("HTTP 500"));
        PaymentEvent event = anEventOf(1000);
        processor.process(event);
        clock.advance(Duration.ofMinutes(1));

        assertEquals(new WebhookOutcome.PayloadMismatch(event.id()), processor.process(withAmount(event, 2)));
        assertEquals(List.of(), gateway.lookups());
        assertEquals(1, gateway.calls());
    }

    @Test
    void a_payment_the_provider_would_refuse_is_answered_before_anything_is_recorded_or_sent() {
        gateway.refusing("amount must be at least 50 usd cents");
        PaymentEvent event = anEventOf(10);

        assertEquals(new WebhookOutcome.NotPayable(event.id(), "amount must be at least 50 usd cents"),
                processor.process(event));
        assertEquals(0, gateway.calls());
        assertEquals(Optional.empty(), store.find(event.id()));
    }

    @Test
    void a_charge_that_was_not_attempted_releases_the_claim_for_the_next_delivery() {
        gateway.always(new ChargeResult.NotAttempted("circuit open", Duration.ofSeconds(7)));
        PaymentEvent event = anEvent();

        WebhookOutcome outcome = processor.process(event);

        assertEquals(new WebhookOutcome.GatewayUnavailable(event.id(), "circuit open", Duration.ofSeconds(7)), outcome);
        assertEquals(Optional.empty(), store.find(event.id()));
        gateway.answering(RecordingPaymentGateway::chargedByAmount);
        assertInstanceOf(WebhookOutcome.Processed.class, processor.process(event));
    }

    @Test
    void an_expired_lease_is_taken_over_and_the_stale_worker_cannot_overwrite_the_result() {
        PaymentEvent event = anEventOf(1000);
        AtomicReference<WebhookOutcome> takeover = new AtomicReference<>();
        // The first worker stalls past its lease; meanwhile a redelivery takes the event over.
        gateway.answering(request -> {
            if (gateway.calls() == 1) {
                clock.advance(POLICY.leaseTtl().plusSeconds(1));
                takeover.set(processor.process(event));
                return new ChargeResult.Unknown("stalled worker timed out");
            }
            return RecordingPaymentGateway.chargedByAmount(request);
        });

        processor.process(event);

        assertEquals(new WebhookOutcome.Processed(event.id(), new TransactionId("txn_1000")), takeover.get());
        assertEquals(List.of(event.id()), observer.takeovers);
        assertEquals(List.of(event.id()), observer.fenced);
        assertEquals(2, gateway.calls());
        assertEquals(gateway.requests().get(0).idempotencyKey(), gateway.requests().get(1).idempotencyKey());
        assertEquals(new IdempotencyRecord.Succeeded(event.fingerprint(), new TransactionId("txn_1000")),
                store.find(event.id()).orElseThrow().record());
    }

    @Test
    void when_the_store_is_unavailable_nothing_is_charged_and_the_caller_is_told() {
        SwitchableStore broken = new SwitchableStore(store);
        broken.takeDown();
        WebhookProcessor onBrokenStore = processorOn(broken);
        PaymentEvent event = anEvent();

        assertThrows(IdempotencyStoreUnavailable.class, () -> onBrokenStore.process(event));

        assertEquals(0, gateway.calls());
        assertEquals(List.of(event.id()), observer.unavailable);
    }

    @Test
    void an_abandoned_claim_is_not_taken_over_by_the_same_id_with_another_amount() {
        PaymentEvent event = anEventOf(1000);
        store.claim(event.id(), POLICY.claimFor(event.fingerprint(), ClaimToken.random().get()));
        clock.advance(POLICY.leaseTtl().plusSeconds(1));

        assertEquals(new WebhookOutcome.PayloadMismatch(event.id()), processor.process(withAmount(event, 999_999)));
        assertEquals(0, gateway.calls());

        assertEquals(new WebhookOutcome.Processed(event.id(), new TransactionId("txn_1000")), processor.process(event));
        assertEquals(List.of(event.id()), observer.takeovers);
    }

    @Test
    void a_payment_whose_result_the_store_cannot_take_is_still_answered_as_paid() {
        SwitchableStore switchable = new SwitchableStore(store);
        PendingCompletions pending = pendingOn(switchable);
        WebhookProcessor onFlakyStore = new WebhookProcessor(switchable, gateway, POLICY, ClaimToken.random(),
                observer, pending, clock);
        PaymentEvent event = anEventOf(1200);
        gateway.answering(request -> {
            switchable.takeDown();
            return RecordingPaymentGateway.chargedByAmount(request);
        });

        WebhookOutcome outcome = onFlakyStore.process(event);

        assertEquals(new WebhookOutcome.Processed(event.id(), new TransactionId("txn_1200")), outcome);
        assertEquals(List.of(event.id()), observer.pending);
        assertEquals(1, pending.size());
    }

    @Test
    void a_redelivery_while_the_result_waits_is_answered_from_it_without_a_charge() {
        SwitchableStore switchable = new SwitchableStore(store);
        PendingCompletions pending = pendingOn(switchable);
        WebhookProcessor onFlakyStore = new WebhookProcessor(switchable, gateway, POLICY, ClaimToken.random(),
                observer, pending, clock);
        PaymentEvent event = anEventOf(1200);
        gateway.answering(request -> {
            switchable.takeDown();
            return RecordingPaymentGateway.chargedByAmount(request);
        });
        onFlakyStore.process(event);

        assertEquals(new WebhookOutcome.AlreadyProcessed(event.id(), new TransactionId("txn_1200")),
                onFlakyStore.process(event));
        assertEquals(new WebhookOutcome.PayloadMismatch(event.id()), onFlakyStore.process(withAmount(event, 1)));
        assertEquals(1, gateway.calls());
    }

    @Test
    void a_waiting_result_is_written_once_the_store_is_back_and_replayed_from_there() {
        SwitchableStore switchable = new SwitchableStore(store);
        PendingCompletions pending = pendingOn(switchable);
        WebhookProcessor onFlakyStore = new WebhookProcessor(switchable, gateway, POLICY, ClaimToken.random(),
                observer, pending, clock);
        PaymentEvent event = anEventOf(1200);
        gateway.answering(request -> {
            switchable.takeDown();
            return new ChargeResult.Declined("insufficient_funds");
        });
        onFlakyStore.process(event);

        pending.retry();
        assertEquals(1, pending.size(), "still down: nothing written");
        switchable.bringBack();
        pending.retry();

        assertEquals(0, pending.size());
        assertEquals(List.of(event.id()), observer.writtenLate);
        assertEquals(new IdempotencyRecord.Declined(event.fingerprint(), "insufficient_funds"),
                store.find(event.id()).orElseThrow().record());
        assertEquals(new WebhookOutcome.Declined(event.id(), "insufficient_funds", true), processor.process(event));
        assertEquals(1, gateway.calls());
    }

    @Test
    void a_result_that_finds_the_queue_full_is_reported_lost_with_its_transaction() {
        SwitchableStore switchable = new SwitchableStore(store);
        PendingCompletions full = new PendingCompletions(switchable, observer, clock, 1);
        WebhookProcessor onFlakyStore = new WebhookProcessor(switchable, gateway, POLICY, ClaimToken.random(),
                observer, full, clock);
        PaymentEvent first = anEventOf(1);
        PaymentEvent second = anEventOf(2);
        gateway.answering(request -> {
            switchable.takeDown();
            return RecordingPaymentGateway.chargedByAmount(request);
        });
        onFlakyStore.process(first);
        switchable.bringBack();

        WebhookOutcome outcome = onFlakyStore.process(second);

        assertEquals(new WebhookOutcome.Processed(second.id(), new TransactionId("txn_2")), outcome);
        assertEquals(List.of(second.id()), observer.lost);
        assertEquals(1, full.size());
    }

    @Test
    void results_still_waiting_at_shutdown_are_reported_lost() {
        SwitchableStore switchable = new SwitchableStore(store);
        PendingCompletions pending = pendingOn(switchable);
        WebhookProcessor onFlakyStore = new WebhookProcessor(switchable, gateway, POLICY, ClaimToken.random(),
                observer, pending, clock);
        PaymentEvent event = anEvent();
        gateway.answering(request -> {
            switchable.takeDown();
            return RecordingPaymentGateway.chargedByAmount(request);
        });
        onFlakyStore.process(event);

        pending.flush();

        assertEquals(List.of(event.id()), observer.lost);
        assertEquals(0, pending.size());
    }

    @Test
    void a_claim_that_cannot_be_released_still_tells_the_sender_nothing_was_attempted() {
        SwitchableStore switchable = new SwitchableStore(store);
        WebhookProcessor onFlakyStore = processorOn(switchable);
        PaymentEvent event = anEvent();
        gateway.answering(request -> {
            switchable.takeDown();
            return new ChargeResult.NotAttempted("circuit open", Duration.ofSeconds(7));
        });

        assertEquals(new WebhookOutcome.GatewayUnavailable(event.id(), "circuit open", Duration.ofSeconds(7)),
                onFlakyStore.process(event));
        assertEquals(List.of(event.id()), observer.releaseFailures);
    }

    @Test
    void the_observer_hears_every_outcome_and_gateway_call() {
        PaymentEvent event = anEvent();
        processor.process(event);
        processor.process(event);

        assertEquals(List.of("processed", "already_processed"), observer.outcomes);
        assertEquals(List.of("charged"), observer.gatewayResults);
    }

    @Test
    void many_simultaneous_deliveries_of_one_event_charge_exactly_once() throws Exception {
        gateway.taking(Duration.ofMillis(50));
        PaymentEvent event = anEventOf(1000);
        int deliveries = 64;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<WebhookOutcome>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(deliveries)) {
            for (int i = 0; i < deliveries; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return processor.process(event);
                }));
            }
            go.countDown();
            List<WebhookOutcome> outcomes = new ArrayList<>();
            for (Future<WebhookOutcome> future : futures) {
                outcomes.add(future.get());
            }

            assertEquals(1, outcomes.stream().filter(WebhookOutcome.Processed.class::isInstance).count());
            assertTrue(outcomes.stream().allMatch(outcome -> outcome instanceof WebhookOutcome.Processed
                    || outcome instanceof WebhookOutcome.AlreadyProcessed
                    || outcome instanceof WebhookOutcome.InProgress), outcomes::toString);
            assertEquals(1, gateway.calls());
        }
    }

    private static final class RecordingObserver implements ProcessingObserver {
        final List<String> outcomes = new CopyOnWriteArrayList<>();
        final List<String> gatewayResults = new CopyOnWriteArrayList<>();
        final List<EventId> takeovers = new CopyOnWriteArrayList<>();
        final List<EventId> fenced = new CopyOnWriteArrayList<>();
        final List<EventId> unavailable = new CopyOnWriteArrayList<>();
        final List<EventId> pending = new CopyOnWriteArrayList<>();
        final List<EventId> writtenLate = new CopyOnWriteArrayList<>();
        final List<EventId> lost = new CopyOnWriteArrayList<>();
        final List<EventId> releaseFailures = new CopyOnWriteArrayList<>();
        final List<String> reconciliations = new CopyOnWriteArrayList<>();
        final List<Duration> unknownAges = new CopyOnWriteArrayList<>();

        @Override
        public void reconciled(EventId eventId, LookupResult result, Duration unknownFor) {
            reconciliations.add(result.label());
            unknownAges.add(unknownFor);
        }

        @Override
        public void completionPending(EventId eventId, IdempotencyRecord.Terminal record,
                                      IdempotencyStoreUnavailable cause) {
            pending.add(eventId);
        }

        @Override
        public void completionWrittenLate(EventId eventId, Duration waited) {
            writtenLate.add(eventId);
        }

        @Override
        public void completionLost(EventId eventId, IdempotencyRecord.Terminal record, String why) {
            lost.add(eventId);
        }

        @Override
        public void claimLeftToExpire(EventId eventId, IdempotencyStoreUnavailable cause) {
            releaseFailures.add(eventId);
        }

        @Override
        public void processed(PaymentEvent event, WebhookOutcome outcome, Duration elapsed) {
            outcomes.add(outcome.label());
        }

        @Override
        public void storeUnavailable(PaymentEvent event, IdempotencyStoreUnavailable error, Duration elapsed) {
            unavailable.add(event.id());
        }

        @Override
        public void leaseTakenOver(EventId eventId) {
            takeovers.add(eventId);
        }

        @Override
        public void completionFenced(EventId eventId) {
            fenced.add(eventId);
        }

        @Override
        public void gatewayCalled(ChargeResult result, Duration elapsed) {
            gatewayResults.add(result.label());
        }
    }
}
