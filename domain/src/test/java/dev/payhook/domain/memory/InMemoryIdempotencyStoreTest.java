package dev.payhook.domain.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Currency;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.TransactionId;
import dev.payhook.domain.contract.IdempotencyStoreContract;
import dev.payhook.domain.fixtures.MutableClock;
import dev.payhook.domain.fixtures.PaymentEvents;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    private final MutableClock clock = MutableClock.startingAtAFixedInstant();
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock, Duration.ofMinutes(1));

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
        var tokens = ClaimToken.secureRandom();
        for (int i = 0; i < 10_000; i++) {
            var key = PaymentEvents.anyEventId();
            Claim claim = new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofHours(1));
            store.claim(key, claim);
            store.complete(key, claim,
                    new IdempotencyRecord.Succeeded(fingerprint, new TransactionId("txn_1")), Duration.ofMinutes(5));
        }
        assertEquals(10_000, store.size());

        clock.advance(Duration.ofMinutes(6));
        store.claim(PaymentEvents.anyEventId(),
                new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofHours(1)));

        assertEquals(1, store.size());
    }

    @Test
    void abandoned_claims_are_swept_once_their_retention_ends() {
        Fingerprint fingerprint = Fingerprint.of(1, Currency.of("USD"));
        var tokens = ClaimToken.secureRandom();
        for (int i = 0; i < 100; i++) {
            store.claim(PaymentEvents.anyEventId(),
                    new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofMinutes(1)));
        }
        clock.advance(Duration.ofMinutes(1));
        store.claim(PaymentEvents.anyEventId(),
                new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofMinutes(1)));
        assertTrue(store.size() > 100, "claims still within lease plus retention are kept");

        clock.advance(Duration.ofMinutes(1));
        store.claim(PaymentEvents.anyEventId(),
                new Claim(tokens.get(), fingerprint, Duration.ofSeconds(30), Duration.ofMinutes(1)));

        assertEquals(2, store.size());
    }
}
