package dev.payhook.domain.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimResult;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Currency;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.TransactionId;
import dev.payhook.domain.contract.IdempotencyStoreContract;
import dev.payhook.domain.fixtures.MutableClock;
import dev.payhook.domain.fixtures.PaymentEvents;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    private final MutableClock clock = MutableClock.startingAtAFixedInstant();
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock);

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @Override
    protected void passTime(Duration duration) {
        clock.advance(duration);
    }

    @Test
    void expired_records_are_swept_so_memory_does_not_grow_without_bound() {
        Fingerprint fingerprint = Fingerprint.of(1, Currency.of("USD"));
        var tokens = ClaimToken.random();
        for (int i = 0; i < 10_000; i++) {
            var key = PaymentEvents.anyEventId();
            Claim claim = new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofHours(1));
            store.claim(key, claim);
            store.complete(key, claim,
                    new IdempotencyRecord.Succeeded(fingerprint, new TransactionId("txn_1")), Duration.ofMinutes(5));
        }
        assertEquals(10_000, store.size());

        clock.advance(Duration.ofMinutes(6));
        store.sweep();

        assertEquals(0, store.size());
    }

    @Test
    void abandoned_claims_are_swept_once_their_retention_ends() {
        Fingerprint fingerprint = Fingerprint.of(1, Currency.of("USD"));
        var tokens = ClaimToken.random();
        for (int i = 0; i < 100; i++) {
            store.claim(PaymentEvents.anyEventId(),
                    new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofMinutes(1)));
        }
        clock.advance(Duration.ofMinutes(1));
        store.sweep();
        assertEquals(100, store.size(), "claims still within lease plus retention are kept");

        clock.advance(Duration.ofMinutes(1));
        store.sweep();

        assertEquals(0, store.size());
    }

    @Test
    void a_full_store_refuses_new_events_and_keeps_every_record_it_holds() {
        InMemoryIdempotencyStore small = new InMemoryIdempotencyStore(clock, 2);
        Fingerprint fingerprint = Fingerprint.of(1, Currency.of("USD"));
        var tokens = ClaimToken.random();
        var first = PaymentEvents.anyEventId();
        Claim firstClaim = new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofHours(1));
        small.claim(first, firstClaim);
        small.claim(PaymentEvents.anyEventId(),
                new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofHours(1)));

        IdempotencyStoreUnavailable refused = assertThrows(IdempotencyStoreUnavailable.class,
                () -> small.claim(PaymentEvents.anyEventId(),
                        new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofHours(1))));

        assertEquals(IdempotencyStoreUnavailable.Kind.FULL, refused.kind());
        assertEquals(InMemoryIdempotencyStore.SWEEP_INTERVAL, refused.retryAfter());
        assertEquals(2, small.size());
        assertTrue(small.complete(first, firstClaim,
                new IdempotencyRecord.Succeeded(fingerprint, new TransactionId("txn_1")), Duration.ofMinutes(1)));
        assertInstanceOf(ClaimResult.Existing.class, small.claim(first,
                new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofHours(1))));
    }

    @Test
    void a_full_store_takes_new_events_again_once_expired_records_are_swept() {
        InMemoryIdempotencyStore small = new InMemoryIdempotencyStore(clock, 1);
        Fingerprint fingerprint = Fingerprint.of(1, Currency.of("USD"));
        var tokens = ClaimToken.random();
        small.claim(PaymentEvents.anyEventId(),
                new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(2));

        small.sweep();

        assertEquals(ClaimResult.Claimed.fresh(), small.claim(PaymentEvents.anyEventId(),
                new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofMinutes(1))));
    }

    @Test
    void the_health_check_reports_how_full_the_store_is() {
        InMemoryIdempotencyStore small = new InMemoryIdempotencyStore(clock, 10);
        Fingerprint fingerprint = Fingerprint.of(1, Currency.of("USD"));
        var tokens = ClaimToken.random();
        for (int i = 0; i < 9; i++) {
            small.claim(PaymentEvents.anyEventId(),
                    new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofMinutes(1)));
        }

        var health = small.check();

        assertEquals("9", health.details().get("records"));
        assertEquals("10", health.details().get("max_records"));
        assertEquals(1, health.warnings().size());
        assertFalse(health.mayEvict());
    }
}
