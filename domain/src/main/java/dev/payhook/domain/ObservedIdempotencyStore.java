package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** Times every operation of another store and reports it to a {@link ProcessingObserver}. */
public final class ObservedIdempotencyStore implements IdempotencyStore {

    private final IdempotencyStore delegate;
    private final ProcessingObserver observer;

    public ObservedIdempotencyStore(IdempotencyStore delegate, ProcessingObserver observer) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public ClaimResult claim(EventId key, Claim claim) {
        return timed("claim", () -> delegate.claim(key, claim));
    }

    @Override
    public boolean complete(EventId key, Claim claim, IdempotencyRecord.Terminal record, Duration ttl) {
        return timed("complete", () -> delegate.complete(key, claim, record, ttl));
    }

    @Override
    public boolean markUnknown(EventId key, Claim claim, IdempotencyRecord.Unknown record, Duration reconcileAfter,
                               Duration retention) {
        return timed("complete", () -> delegate.markUnknown(key, claim, record, reconcileAfter, retention));
    }

    @Override
    public boolean release(EventId key, Claim claim) {
        return timed("release", () -> delegate.release(key, claim));
    }

    @Override
    public Optional<StoredRecord> find(EventId key) {
        return timed("find", () -> delegate.find(key));
    }

    @Override
    public Optional<HeldRecord> inspect(EventId key) {
        return timed("find", () -> delegate.inspect(key));
    }

    @Override
    public boolean replace(EventId key, String version, Optional<IdempotencyRecord.Terminal> replacement,
                           Duration ttl) {
        return timed("complete", () -> delegate.replace(key, version, replacement, ttl));
    }

    @Override
    public RecordPage list(RecordState state, Optional<String> cursor, int limit) {
        return timed("find", () -> delegate.list(state, cursor, limit));
    }

    @Override
    public StoreHealth check() {
        return timed("ping", delegate::check);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private <T> T timed(String operation, Supplier<T> call) {
        long started = System.nanoTime();
        boolean ok = false;
        try {
            T result = call.get();
            ok = true;
            return result;
        } catch (IdempotencyStoreUnavailable e) {
            observer.storeFailed(operation, e);
            throw e;
        } catch (StoredRecordUnreadable e) {
            // The store answered: only the value it holds is wrong.
            ok = true;
            throw e;
        } finally {
            observer.storeCalled(operation, ok, Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
