package dev.payhook.domain.memory;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimResult;
import dev.payhook.domain.EventId;
import dev.payhook.domain.HeldRecord;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.RecordPage;
import dev.payhook.domain.RecordState;
import dev.payhook.domain.StoreHealth;
import dev.payhook.domain.StoredRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default store: one process, nothing shared, nothing survives a restart. Atomic per key
 * through {@link ConcurrentHashMap#compute}; time from the injected {@link Clock}.
 *
 * <p>Bounded: it holds at most {@code maxRecords} entries, and once full it refuses new events (the
 * sender is told to come back) rather than evict a record that still counts, which could let a
 * redelivery pay again. Expired entries are removed by {@link #sweep()}, which the owner calls off the
 * request path every {@link #SWEEP_INTERVAL}.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    /** How often the owner should call {@link #sweep()}; also how long a sender is asked to wait when full. */
    public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RECORDS = 100_000;

    private final ConcurrentHashMap<EventId, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxRecords;

    public InMemoryIdempotencyStore(Clock clock) {
        this(clock, DEFAULT_MAX_RECORDS);
    }

    public InMemoryIdempotencyStore(Clock clock, int maxRecords) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be positive");
        }
        this.maxRecords = maxRecords;
    }

    /**
     * One stored record. {@code countsUntil} ends a claim's lease or a terminal record's TTL;
     * {@code keptUntil} is when the entry is forgotten (later than the lease for claims, so a takeover
     * can be recognised).
     */
    private record Entry(IdempotencyRecord record, Instant countsUntil, Instant keptUntil, long version) {

        /** Numbers every entry ever made, so that an operator's change applies to the entry looked at. */
        private static final AtomicLong VERSIONS = new AtomicLong();

        Entry(IdempotencyRecord record, Instant countsUntil, Instant keptUntil) {
            this(record, countsUntil, keptUntil, VERSIONS.incrementAndGet());
        }

        static Entry claimed(Claim claim, int attempt, Instant now) {
            Instant leaseEnd = now.plus(claim.lease());
            return new Entry(claim.record(attempt), leaseEnd, leaseEnd.plus(claim.expiredRetention()));
        }

        boolean counts(Instant now) {
            return now.isBefore(countsUntil);
        }

        boolean forgotten(Instant now) {
            return !now.isBefore(keptUntil);
        }

        boolean isClaim(Claim claim) {
            return record instanceof IdempotencyRecord.InProgress inProgress
                    && inProgress.token().equals(claim.token());
        }

        StoredRecord stored(Instant now) {
            return new StoredRecord(record, Duration.between(now, countsUntil));
        }
    }

    @Override
    public ClaimResult claim(EventId key, Claim claim) {
        Instant now = clock.instant();
        ClaimResult[] result = new ClaimResult[1];
        entries.compute(key, (k, current) -> {
            if (current == null && entries.size() >= maxRecords) {
                throw full();
            }
            if (current == null || current.forgotten(now)) {
                result[0] = ClaimResult.Claimed.fresh();
                return Entry.claimed(claim, 1, now);
            }
            if (current.isClaim(claim)) {
                // The same claim again: its first answer was lost on the way back.
                result[0] = new ClaimResult.Claimed(false,
                        ((IdempotencyRecord.InProgress) current.record()).attempt(), Optional.empty());
                return current;
            }
            // Only claims and unknown outcomes outlive the point where they stop counting.
            if (!current.counts(now) && current.record().fingerprint().equals(claim.fingerprint())) {
                switch (current.record()) {
                    case IdempotencyRecord.InProgress abandoned -> {
                        result[0] = ClaimResult.Claimed.takeover(abandoned.attempt());
                        return Entry.claimed(claim, abandoned.attempt(), now);
                    }
                    case IdempotencyRecord.Unknown due -> {
                        result[0] = ClaimResult.Claimed.reconciling(due);
                        return Entry.claimed(claim, due.attempt() + 1, now);
                    }
                    default -> {
                    }
                }
            }
            result[0] = new ClaimResult.Existing(current.stored(now));
            return current;
        });
        return result[0];
    }

    @Override
    public boolean complete(EventId key, Claim claim, IdempotencyRecord.Terminal record, Duration ttl) {
        Instant expiry = clock.instant().plus(ttl);
        return replaceClaim(key, claim, record, expiry, expiry);
    }

    @Override
    public boolean markUnknown(EventId key, Claim claim, IdempotencyRecord.Unknown record, Duration reconcileAfter,
                               Duration retention) {
        Instant now = clock.instant();
        return replaceClaim(key, claim, record, now.plus(reconcileAfter), now.plus(retention));
    }

    private boolean replaceClaim(EventId key, Claim claim, IdempotencyRecord record, Instant countsUntil,
                                 Instant keptUntil) {
        Instant now = clock.instant();
        boolean[] done = new boolean[1];
        entries.computeIfPresent(key, (k, current) -> {
            if (current.forgotten(now)) {
                return null;
            }
            if (current.record().equals(record)) {
                // Already written, by us on an attempt whose answer was lost: the outcome stands.
                done[0] = true;
                return current;
            }
            if (!current.isClaim(claim)) {
                return current;
            }
            done[0] = true;
            return new Entry(record, countsUntil, keptUntil);
        });
        return done[0];
    }

    @Override
    public boolean release(EventId key, Claim claim) {
        Instant now = clock.instant();
        boolean[] done = new boolean[1];
        entries.computeIfPresent(key, (k, current) -> {
            if (current.forgotten(now)) {
                return null;
            }
            done[0] = current.isClaim(claim);
            return done[0] ? null : current;
        });
        return done[0];
    }

    @Override
    public Optional<StoredRecord> find(EventId key) {
        Instant now = clock.instant();
        Entry entry = entries.get(key);
        if (entry == null || !entry.counts(now)) {
            return Optional.empty();
        }
        return Optional.of(entry.stored(now));
    }

    @Override
    public Optional<HeldRecord> inspect(EventId key) {
        Instant now = clock.instant();
        Entry entry = entries.get(key);
        if (entry == null || entry.forgotten(now)) {
            return Optional.empty();
        }
        return Optional.of(new HeldRecord(entry.record(), Duration.between(now, entry.countsUntil()),
                Long.toString(entry.version())));
    }

    @Override
    public boolean replace(EventId key, String version, Optional<IdempotencyRecord.Terminal> replacement,
                           Duration ttl) {
        Instant expiry = clock.instant().plus(ttl);
        boolean[] done = new boolean[1];
        entries.computeIfPresent(key, (k, current) -> {
            if (!Long.toString(current.version()).equals(version)) {
                return current;
            }
            done[0] = true;
            return replacement.map(record -> new Entry(record, expiry, expiry)).orElse(null);
        });
        return done[0];
    }

    /** The cursor is the last event id of the previous page: ids are listed in their natural order. */
    @Override
    public RecordPage list(RecordState state, Optional<String> cursor, int limit) {
        Instant now = clock.instant();
        List<EventId> page = entries.entrySet().stream()
                .filter(entry -> !entry.getValue().forgotten(now) && RecordState.of(entry.getValue().record()) == state)
                .map(Map.Entry::getKey)
                .filter(id -> cursor.isEmpty() || id.value().compareTo(cursor.get()) > 0)
                .sorted(Comparator.comparing(EventId::value))
                .limit(limit + 1L)
                .toList();
        if (page.size() <= limit) {
            return new RecordPage(page, Optional.empty());
        }
        List<EventId> shown = page.subList(0, limit);
        return new RecordPage(shown, Optional.of(shown.getLast().value()));
    }

    /** Always answers, as it lives in this process; warns when it is nearly full. */
    @Override
    public StoreHealth check() {
        int held = size();
        List<String> warnings = held >= maxRecords * 9L / 10
                ? List.of("the in-memory store holds " + held + " of at most " + maxRecords
                        + " records; once full, new events are refused until records expire")
                : List.of();
        return new StoreHealth(Map.of("store", "memory", "records", Integer.toString(held),
                "max_records", Integer.toString(maxRecords)), warnings, false);
    }

    /** How many entries are held, expired ones not yet swept included. */
    public int size() {
        return entries.size();
    }

    public int maxRecords() {
        return maxRecords;
    }

    /** Forgets every entry whose time is up. */
    public void sweep() {
        Instant now = clock.instant();
        // removeIf on a ConcurrentHashMap view removes an entry only if it is still the one tested.
        entries.values().removeIf(entry -> entry.forgotten(now));
    }

    private IdempotencyStoreUnavailable full() {
        return new IdempotencyStoreUnavailable(IdempotencyStoreUnavailable.Kind.FULL,
                "the in-memory store holds its maximum of " + maxRecords + " records (MEMORY_STORE_MAX_RECORDS)",
                null, SWEEP_INTERVAL);
    }
}
