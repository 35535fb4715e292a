package dev.payhook.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the use case remembers what it did for each event id, shared by every instance of the service.
 *
 * <p>Every method either answers or throws {@link IdempotencyStoreUnavailable}, or
 * {@link StoredRecordUnreadable} when it finds a value it cannot read; no other exception escapes. The contract is pinned down by {@code IdempotencyStoreContract} in this module's test-jar.
 */
public interface IdempotencyStore extends AutoCloseable {

    /**
     * Atomically records {@code claim} as {@link IdempotencyRecord.InProgress} when the key is absent (attempt
     * 1), holds a claim for the same fingerprint whose lease has run out (a takeover, same attempt), or holds
     * an unknown outcome for the same fingerprint that is due for reconciliation (the next attempt); otherwise
     * returns the record there and leaves it alone, also an expired claim or a due unknown outcome for another
     * payment (remaining zero). A key that already holds this very claim counts as claimed, so a claim sent
     * again after its answer was lost does not lock out its own sender.
     */
    ClaimResult claim(EventId key, Claim claim);

    /**
     * Replaces our claim with {@code record}, kept for {@code ttl}, only if the stored record is still the
     * claim with our token (fencing). Returns whether it did; a key that already holds exactly
     * {@code record} counts as written, so a completion sent again after its answer was lost succeeds.
     */
    boolean complete(EventId key, Claim claim, IdempotencyRecord.Terminal record, Duration ttl);

    /**
     * Replaces our claim with {@code record}, an unknown outcome, only if the stored record is still the claim
     * with our token (fencing). Deliveries meanwhile find it for {@code reconcileAfter}; after that it may be
     * taken over, by a claim for the same fingerprint, as attempt {@code record.attempt() + 1}. It is kept for
     * {@code retention} in all. A key that already holds exactly {@code record} counts as written.
     */
    boolean markUnknown(EventId key, Claim claim, IdempotencyRecord.Unknown record, Duration reconcileAfter,
                        Duration retention);

    /** Deletes our claim, only if the stored record is still the claim with our token. Returns whether it did. */
    boolean release(EventId key, Claim claim);

    /** The live record for {@code key}, if any. */
    Optional<StoredRecord> find(EventId key);

    /** Whatever the store holds for {@code key}, in any state, for an operator to look at. */
    Optional<HeldRecord> inspect(EventId key);

    /**
     * For an operator: replaces the record at {@code key} with {@code replacement} kept for {@code ttl}, or
     * deletes it when {@code replacement} is empty, only if the key still holds the {@code version} inspected.
     * Returns whether it did.
     */
    boolean replace(EventId key, String version, Optional<IdempotencyRecord.Terminal> replacement, Duration ttl);

    /**
     * For an operator: up to about {@code limit} event ids whose records are in {@code state}, from
     * {@code cursor} (empty for the first page). Walks the store a page at a time; a full listing costs a pass
     * over every key.
     */
    RecordPage list(RecordState state, Optional<String> cursor, int limit);

    /**
     * Asks the store whether it can serve, and what an operator should know about it; throws
     * {@link IdempotencyStoreUnavailable} when it cannot. For readiness checks and start-up reports.
     */
    StoreHealth check();

    @Override
    default void close() {
    }
}
