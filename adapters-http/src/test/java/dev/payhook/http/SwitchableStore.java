package dev.payhook.http;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimResult;
import dev.payhook.domain.EventId;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.StoredRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A real store that a test can take down, failing the way the port says; counts the calls it gets. */
final class SwitchableStore implements IdempotencyStore {

    private final IdempotencyStore delegate;
    private volatile boolean down;
    final AtomicInteger calls = new AtomicInteger();

    SwitchableStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    void takeDown() {
        down = true;
    }

    private void check() {
        calls.incrementAndGet();
        if (down) {
            throw new IdempotencyStoreUnavailable("store taken down by the test");
        }
    }

    @Override
    public ClaimResult claim(EventId key, Claim claim) {
        check();
        return delegate.claim(key, claim);
    }

    @Override
    public boolean complete(EventId key, Claim claim, IdempotencyRecord.Terminal record, Duration ttl) {
        check();
        return delegate.complete(key, claim, record, ttl);
    }

    @Override
    public boolean release(EventId key, Claim claim) {
        check();
        return delegate.release(key, claim);
    }

    @Override
    public Optional<StoredRecord> find(EventId key) {
        check();
        return delegate.find(key);
    }

    @Override
    public void ping() {
        if (down) {
            throw new IdempotencyStoreUnavailable("store taken down by the test");
        }
    }
}
