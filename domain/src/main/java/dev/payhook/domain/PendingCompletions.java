package dev.payhook.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gateway results the store could not take when they came: the sender was answered with the truth, and
 * the result waits here, in this process, until a write lands. {@link #retry()} writes them, fenced on
 * each one's claim token; the composition root calls it on a schedule and {@link #flush()} on shutdown.
 * Bounded by {@code capacity}: a result that finds it full is reported lost, and its claim's lease
 * running out lets a redelivery charge again under the same idempotency key.
 */
public final class PendingCompletions {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final IdempotencyStore store;
    private final ProcessingObserver observer;
    private final Clock clock;
    private final int capacity;
    private final ConcurrentHashMap<EventId, Pending> pending = new ConcurrentHashMap<>();

    public PendingCompletions(IdempotencyStore store, ProcessingObserver observer, Clock clock, int capacity) {
        this.store = Objects.requireNonNull(store, "store");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** One result waiting to be written: what to write, for whom, and since when it waits. */
    record Pending(EventId id, Claim claim, IdempotencyRecord.Terminal record, Duration ttl, Instant since) {
    }

    /** Keeps a result the store refused just now; the observer hears it either way. */
    void add(EventId id, Claim claim, IdempotencyRecord.Terminal record, Duration ttl,
             IdempotencyStoreUnavailable cause) {
        // The bound is checked loosely (size then put): a few over under a race is harmless.
        if (pending.size() >= capacity) {
            observer.completionLost(id, record, "the queue of pending completions is full (" + capacity + ")");
            return;
        }
        pending.put(id, new Pending(id, claim, record, ttl, clock.instant()));
        observer.completionPending(id, record, cause);
    }

    /** The result waiting for {@code id}, and how long ago it came. */
    Optional<Waiting> find(EventId id) {
        Pending found = pending.get(id);
        return found == null ? Optional.empty()
                : Optional.of(new Waiting(found.record(), Duration.between(found.since(), clock.instant())));
    }

    /** A result waiting to be written, as a redelivery sees it. */
    record Waiting(IdempotencyRecord.Terminal record, Duration age) {
    }

    /** How many results wait. */
    public int size() {
        return pending.size();
    }

    /**
     * Tries to write every waiting result once. Stops at the first write the store cannot take: it is
     * still down, and every further try would only wait for its timeout again.
     */
    public void retry() {
        for (Pending next : pending.values()) {
            try {
                boolean written = store.complete(next.id(), next.claim(), next.record(), next.ttl());
                pending.remove(next.id(), next);
                if (written) {
                    observer.completionWrittenLate(next.id(), Duration.between(next.since(), clock.instant()));
                } else {
                    observer.completionFenced(next.id());
                }
            } catch (IdempotencyStoreUnavailable stillDown) {
                return;
            } catch (RuntimeException unexpected) {
                // A result the store refuses for good must not block the others behind it.
                pending.remove(next.id(), next);
                observer.completionLost(next.id(), next.record(), "the store refused it: " + unexpected);
            }
        }
    }

    /** On shutdown: one last try; whatever still cannot be written is reported lost, with its result. */
    public void flush() {
        retry();
        pending.values().forEach(left -> observer.completionLost(left.id(), left.record(),
                "the service stopped before the store took it"));
        pending.clear();
    }
}
