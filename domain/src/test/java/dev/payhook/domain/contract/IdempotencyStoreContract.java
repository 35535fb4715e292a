package dev.payhook.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimResult;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.HeldRecord;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.RecordPage;
import dev.payhook.domain.RecordState;
import dev.payhook.domain.StoredRecord;
import dev.payhook.domain.TransactionId;
import dev.payhook.domain.fixtures.PaymentEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link IdempotencyStore} must do. Extend it once per implementation; the subclass provides
 * the store and a way to let time pass (moving a test clock, or sleeping for stores on real time).
 *
 * <p>Durations here are short so that stores on real time can run the suite in seconds. Every test uses
 * fresh keys, so one store may serve the whole suite.
 */
public abstract class IdempotencyStoreContract {

    protected static final Duration LEASE = Duration.ofMillis(600);
    protected static final Duration RETENTION = Duration.ofMillis(600);
    protected static final Duration LONG_TTL = Duration.ofMinutes(10);
    protected static final int RACING_THREADS = 64;

    private static final Supplier<ClaimToken> TOKENS = ClaimToken.random();
    private static final Fingerprint FINGERPRINT = Fingerprint.of(1000, Currency.of("USD"));
    private static final Fingerprint OTHER_FINGERPRINT = Fingerprint.of(999_999, Currency.of("USD"));

    /** The store under test. */
    protected abstract IdempotencyStore store();

    /** Lets {@code duration} pass as the store sees time. */
    protected abstract void passTime(Duration duration);

    private static Claim aClaim() {
        return new Claim(TOKENS.get(), FINGERPRINT, LEASE, RETENTION);
    }

    private static EventId aKey() {
        return PaymentEvents.anyEventId();
    }

    static Stream<IdempotencyRecord.Terminal> terminalRecords() {
        return Stream.of(
                new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("txn_1000")),
                new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("pi_3Mtw|Bw:Lkd IwHu7ix28a3tqPa")),
                new IdempotencyRecord.Declined(FINGERPRINT, "card_declined: insufficient funds | ünïcödé"),
                new IdempotencyRecord.Failed(FINGERPRINT, "gateway timed out after 10s"));
    }

    @Test
    void claim_on_an_absent_key_records_our_claim() {
        EventId key = aKey();
        Claim claim = aClaim();

        assertEquals(ClaimResult.Claimed.fresh(), store().claim(key, claim));

        StoredRecord stored = store().find(key).orElseThrow();
        assertEquals(claim.record(1), stored.record());
        assertRemainingWithin(stored, LEASE);
    }

    @Test
    void a_second_claim_gets_the_live_claim_and_leaves_it_alone() {
        EventId key = aKey();
        Claim first = aClaim();
        store().claim(key, first);

        ClaimResult second = store().claim(key, aClaim());

        StoredRecord stored = assertInstanceOf(ClaimResult.Existing.class, second).stored();
        assertEquals(first.record(1), stored.record());
        assertRemainingWithin(stored, LEASE);
        assertEquals(first.record(1), store().find(key).orElseThrow().record());
    }

    @ParameterizedTest
    @MethodSource("terminalRecords")
    void completing_our_claim_stores_the_terminal_record_for_its_ttl(IdempotencyRecord.Terminal record) {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);

        assertTrue(store().complete(key, claim, record, LONG_TTL));

        StoredRecord found = store().find(key).orElseThrow();
        assertEquals(record, found.record());
        assertRemainingWithin(found, LONG_TTL);
        StoredRecord replayed = assertInstanceOf(ClaimResult.Existing.class, store().claim(key, aClaim())).stored();
        assertEquals(record, replayed.record());
        assertRemainingWithin(replayed, LONG_TTL);
    }

    @Test
    void a_terminal_record_expires_after_its_ttl() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);
        store().complete(key, claim, new IdempotencyRecord.Failed(FINGERPRINT, "timeout"), LEASE);

        passTime(LEASE.plusMillis(200));

        assertEquals(Optional.empty(), store().find(key));
        assertEquals(ClaimResult.Claimed.fresh(), store().claim(key, aClaim()));
    }

    @Test
    void a_claim_whose_lease_ran_out_is_taken_over_by_the_next_claim() {
        EventId key = aKey();
        store().claim(key, aClaim());

        passTime(LEASE.plusMillis(100));
        Claim next = aClaim();

        assertEquals(ClaimResult.Claimed.takeover(1), store().claim(key, next));
        assertEquals(next.record(1), store().find(key).orElseThrow().record());
    }

    @Test
    void an_expired_claim_is_not_taken_over_by_a_claim_for_another_payment() {
        EventId key = aKey();
        Claim original = aClaim();
        store().claim(key, original);
        passTime(LEASE.plusMillis(100));

        ClaimResult other = store().claim(key, new Claim(TOKENS.get(), OTHER_FINGERPRINT, LEASE, RETENTION));

        StoredRecord stored = assertInstanceOf(ClaimResult.Existing.class, other).stored();
        assertEquals(original.record(1), stored.record());
        assertEquals(Duration.ZERO, stored.remaining());
        // Left as it was: a delivery of the original payment can still take it over.
        Claim same = aClaim();
        assertEquals(ClaimResult.Claimed.takeover(1), store().claim(key, same));
        assertEquals(same.record(1), store().find(key).orElseThrow().record());
    }

    @Test
    void a_claim_sent_again_after_its_answer_was_lost_counts_as_ours() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);

        assertInstanceOf(ClaimResult.Claimed.class, store().claim(key, claim));
        assertTrue(store().complete(key, claim,
                new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("txn_1000")), LONG_TTL));
    }

    @Test
    void a_completion_sent_again_after_it_landed_counts_as_written() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);
        IdempotencyRecord.Succeeded done = new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("txn_7"));
        store().complete(key, claim, done, LONG_TTL);

        assertTrue(store().complete(key, claim, done, LONG_TTL));
        assertFalse(store().complete(key, claim, new IdempotencyRecord.Failed(FINGERPRINT, "other"), LONG_TTL));
        assertEquals(done, store().find(key).orElseThrow().record());
    }

    @Test
    void a_claim_past_its_lease_no_longer_counts_as_in_progress() {
        EventId key = aKey();
        store().claim(key, aClaim());

        passTime(LEASE.plusMillis(100));

        assertEquals(Optional.empty(), store().find(key));
    }

    @Test
    void an_abandoned_claim_is_forgotten_after_its_retention() {
        EventId key = aKey();
        store().claim(key, aClaim());

        passTime(LEASE.plus(RETENTION).plusMillis(200));

        assertEquals(ClaimResult.Claimed.fresh(), store().claim(key, aClaim()));
    }

    @Test
    void a_stale_owner_cannot_complete_over_the_claim_that_took_over() {
        EventId key = aKey();
        Claim stale = aClaim();
        store().claim(key, stale);
        passTime(LEASE.plusMillis(100));
        Claim current = aClaim();
        store().claim(key, current);

        boolean staleCompleted = store().complete(key, stale,
                new IdempotencyRecord.Failed(FINGERPRINT, "stale"), LONG_TTL);

        assertFalse(staleCompleted);
        assertEquals(current.record(1), store().find(key).orElseThrow().record());
        assertTrue(store().complete(key, current,
                new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("txn_1000")), LONG_TTL));
    }

    @Test
    void a_stale_owner_cannot_overwrite_a_completed_record() {
        EventId key = aKey();
        Claim stale = aClaim();
        store().claim(key, stale);
        passTime(LEASE.plusMillis(100));
        Claim current = aClaim();
        store().claim(key, current);
        IdempotencyRecord.Succeeded done = new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("txn_1"));
        store().complete(key, current, done, LONG_TTL);

        assertFalse(store().complete(key, stale, new IdempotencyRecord.Failed(FINGERPRINT, "stale"), LONG_TTL));
        assertFalse(store().release(key, stale));
        assertEquals(done, store().find(key).orElseThrow().record());
    }

    @Test
    void an_owner_whose_lease_ran_out_may_still_complete_while_nobody_took_over() {
        EventId key = aKey();
        Claim slow = aClaim();
        store().claim(key, slow);
        passTime(LEASE.plusMillis(100));
        IdempotencyRecord.Succeeded done = new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("txn_9"));

        assertTrue(store().complete(key, slow, done, LONG_TTL));
        assertEquals(done, store().find(key).orElseThrow().record());
    }

    @Test
    void completing_a_key_nobody_holds_is_refused_and_stores_nothing() {
        EventId key = aKey();

        boolean completed = store().complete(key, aClaim(),
                new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("txn_1")), LONG_TTL);

        assertFalse(completed);
        assertEquals(Optional.empty(), store().find(key));
    }

    @Test
    void release_deletes_only_our_own_claim() {
        EventId key = aKey();
        Claim ours = aClaim();
        store().claim(key, ours);

        assertFalse(store().release(key, aClaim()));
        assertEquals(ours.record(1), store().find(key).orElseThrow().record());

        assertTrue(store().release(key, ours));
        assertEquals(Optional.empty(), store().find(key));
        assertEquals(ClaimResult.Claimed.fresh(), store().claim(key, aClaim()));
    }

    @Test
    void release_does_not_delete_a_terminal_record() {
        EventId key = aKey();
        Claim ours = aClaim();
        store().claim(key, ours);
        IdempotencyRecord.Declined declined = new IdempotencyRecord.Declined(FINGERPRINT, "card_declined");
        store().complete(key, ours, declined, LONG_TTL);

        assertFalse(store().release(key, ours));
        assertEquals(declined, store().find(key).orElseThrow().record());
    }

    private static IdempotencyRecord.Unknown anUnknown(int attempt) {
        return new IdempotencyRecord.Unknown(FINGERPRINT, attempt, "provider answered 500 | ünïcödé: maybe",
                Optional.of(new TransactionId("pi_3Mtw|Bw:Lkd")), Instant.parse("2026-01-01T00:00:00.123Z"),
                Instant.parse("2026-01-01T00:05:00.456Z"));
    }

    @Test
    void an_unknown_outcome_turns_deliveries_away_until_it_is_due() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);

        assertTrue(store().markUnknown(key, claim, anUnknown(1), LEASE, LONG_TTL));

        StoredRecord stored = assertInstanceOf(ClaimResult.Existing.class, store().claim(key, aClaim())).stored();
        assertEquals(anUnknown(1), stored.record());
        assertRemainingWithin(stored, LEASE);
        assertEquals(anUnknown(1), store().find(key).orElseThrow().record());
    }

    @Test
    void a_due_unknown_outcome_is_taken_over_as_the_next_attempt_by_the_same_payment() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);
        store().markUnknown(key, claim, anUnknown(1), LEASE, LONG_TTL);
        passTime(LEASE.plusMillis(100));
        Claim reconciling = aClaim();

        assertEquals(ClaimResult.Claimed.reconciling(anUnknown(1)), store().claim(key, reconciling));
        assertEquals(reconciling.record(2), store().find(key).orElseThrow().record());
        assertTrue(store().complete(key, reconciling,
                new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("pi_found")), LONG_TTL));
    }

    @Test
    void a_due_unknown_outcome_is_not_taken_over_by_another_payment() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);
        store().markUnknown(key, claim, anUnknown(1), LEASE, LONG_TTL);
        passTime(LEASE.plusMillis(100));

        ClaimResult other = store().claim(key, new Claim(TOKENS.get(), OTHER_FINGERPRINT, LEASE, RETENTION));

        StoredRecord stored = assertInstanceOf(ClaimResult.Existing.class, other).stored();
        assertEquals(anUnknown(1), stored.record());
        assertEquals(Duration.ZERO, stored.remaining());
        assertEquals(ClaimResult.Claimed.reconciling(anUnknown(1)), store().claim(key, aClaim()));
    }

    @Test
    void an_abandoned_reconciliation_is_taken_over_as_the_same_attempt() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);
        store().markUnknown(key, claim, anUnknown(2), LEASE, LONG_TTL);
        passTime(LEASE.plusMillis(100));
        store().claim(key, aClaim());
        passTime(LEASE.plusMillis(100));
        Claim next = aClaim();

        assertEquals(ClaimResult.Claimed.takeover(3), store().claim(key, next));
        assertEquals(next.record(3), store().find(key).orElseThrow().record());
        assertInstanceOf(ClaimResult.Claimed.class, store().claim(key, next), "a retry of the same claim");
    }

    @Test
    void only_our_claim_can_be_marked_unknown_and_marking_again_counts_as_written() {
        EventId key = aKey();
        Claim ours = aClaim();
        store().claim(key, ours);

        assertFalse(store().markUnknown(key, aClaim(), anUnknown(1), LEASE, LONG_TTL));
        assertTrue(store().markUnknown(key, ours, anUnknown(1), LEASE, LONG_TTL));
        assertTrue(store().markUnknown(key, ours, anUnknown(1), LEASE, LONG_TTL));
        assertFalse(store().complete(key, ours, new IdempotencyRecord.Failed(FINGERPRINT, "late"), LONG_TTL));
        assertEquals(anUnknown(1), store().find(key).orElseThrow().record());
    }

    @Test
    void an_unknown_outcome_is_forgotten_only_after_its_retention() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);
        store().markUnknown(key, claim, anUnknown(1), LEASE, LEASE.plus(RETENTION));

        passTime(LEASE.plus(RETENTION).plusMillis(200));

        assertEquals(ClaimResult.Claimed.fresh(), store().claim(key, aClaim()));
    }

    @Test
    void inspect_shows_whatever_is_held_with_a_version_also_an_expired_claim() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);
        passTime(LEASE.plusMillis(100));

        HeldRecord held = store().inspect(key).orElseThrow();

        assertEquals(claim.record(1), held.record());
        assertEquals(Duration.ZERO, held.remaining());
        assertEquals(RecordState.IN_PROGRESS, held.state());
        assertEquals(Optional.empty(), store().inspect(aKey()));
    }

    @Test
    void replace_applies_only_to_the_version_that_was_inspected() {
        EventId key = aKey();
        Claim claim = aClaim();
        store().claim(key, claim);
        store().complete(key, claim, new IdempotencyRecord.Failed(FINGERPRINT, "refused"), LONG_TTL);
        String seen = store().inspect(key).orElseThrow().version();
        IdempotencyRecord.Succeeded found = new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("pi_found"));

        assertTrue(store().replace(key, seen, Optional.of(found), LONG_TTL));
        assertFalse(store().replace(key, seen, Optional.empty(), LONG_TTL), "a stale version changes nothing");
        HeldRecord now = store().inspect(key).orElseThrow();
        assertEquals(found, now.record());
        assertRemainingWithin(new StoredRecord(now.record(), now.remaining()), LONG_TTL);

        assertTrue(store().replace(key, now.version(), Optional.empty(), LONG_TTL));
        assertEquals(Optional.empty(), store().inspect(key));
        assertEquals(ClaimResult.Claimed.fresh(), store().claim(key, aClaim()));
    }

    @Test
    void list_pages_through_the_records_in_one_state() {
        List<EventId> failed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EventId key = aKey();
            Claim claim = aClaim();
            store().claim(key, claim);
            store().complete(key, claim, new IdempotencyRecord.Failed(FINGERPRINT, "refused"), LONG_TTL);
            failed.add(key);
        }
        EventId paid = aKey();
        Claim claim = aClaim();
        store().claim(paid, claim);
        store().complete(paid, claim, new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("t")), LONG_TTL);

        List<EventId> listed = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            RecordPage page = store().list(RecordState.FAILED, cursor, 2);
            listed.addAll(page.eventIds());
            cursor = page.next();
            assertTrue(++pages < 10_000, "the listing ends");
        } while (cursor.isPresent());

        assertTrue(listed.containsAll(failed), listed + " lacks some of " + failed);
        assertFalse(listed.contains(paid));
        for (EventId id : listed) {
            assertEquals(RecordState.FAILED, store().inspect(id).orElseThrow().state());
        }
    }

    @Test
    void find_on_an_unknown_key_is_empty() {
        assertEquals(Optional.empty(), store().find(aKey()));
    }

    @Test
    void a_working_store_says_so_when_checked() {
        assertNotNull(store().check());
    }

    @Test
    void exactly_one_of_many_simultaneous_claims_on_one_event_wins() throws Exception {
        EventId key = aKey();

        List<ClaimResult> results = raceToClaim(key);

        List<ClaimResult.Claimed> winners = results.stream()
                .filter(ClaimResult.Claimed.class::isInstance).map(ClaimResult.Claimed.class::cast).toList();
        assertEquals(List.of(ClaimResult.Claimed.fresh()), winners);
        IdempotencyRecord winning = store().find(key).orElseThrow().record();
        for (ClaimResult result : results) {
            if (result instanceof ClaimResult.Existing existing) {
                assertEquals(winning, existing.stored().record());
            }
        }
    }

    @Test
    void exactly_one_of_many_simultaneous_takeovers_of_an_expired_claim_wins() throws Exception {
        EventId key = aKey();
        store().claim(key, aClaim());
        passTime(LEASE.plusMillis(100));

        List<ClaimResult> results = raceToClaim(key);

        assertEquals(1, results.stream().filter(ClaimResult.Claimed.class::isInstance).count());
        assertTrue(results.contains(ClaimResult.Claimed.takeover(1)));
    }

    private List<ClaimResult> raceToClaim(EventId key) throws Exception {
        CountDownLatch ready = new CountDownLatch(RACING_THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ClaimResult>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(RACING_THREADS)) {
            for (int i = 0; i < RACING_THREADS; i++) {
                Claim claim = aClaim();
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return store().claim(key, claim);
                }));
            }
            ready.await();
            go.countDown();
            List<ClaimResult> results = new ArrayList<>();
            for (Future<ClaimResult> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    private static void assertRemainingWithin(StoredRecord stored, Duration full) {
        Duration remaining = stored.remaining();
        assertTrue(remaining.compareTo(full) <= 0, () -> "remaining " + remaining + " exceeds " + full);
        assertTrue(remaining.compareTo(full.minusMillis(full.toMillis() / 2)) > 0,
                () -> "remaining " + remaining + " is far below " + full);
    }
}
