package dev.payhook.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimResult;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.IdempotencyPolicy;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.StoreHealth;
import dev.payhook.domain.StoredRecordUnreadable;
import dev.payhook.domain.TransactionId;
import dev.payhook.domain.fixtures.PaymentEvents;
import dev.payhook.redis.testing.LocalRedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** What the Redis store adds to the contract: the stored form, script reloading, outages. */
class RedisIdempotencyStoreTest {

    private static final Fingerprint FINGERPRINT = Fingerprint.of(1000, Currency.of("USD"));
    private static LocalRedisServer redis;
    private static RedisIdempotencyStore store;

    @BeforeAll
    static void startRedis() {
        redis = LocalRedisServer.start();
        store = storeOn(redis.url(), Duration.ofSeconds(1));
    }

    @AfterAll
    static void stopRedis() {
        try (LocalRedisServer ignored = redis) {
            store.close();
        }
    }

    private static RedisIdempotencyStore storeOn(String url, Duration commandTimeout) {
        RedisSettings settings = new RedisSettings(RedisEndpoint.fromUrl(url), Duration.ofMillis(500), commandTimeout, 8);
        return new RedisIdempotencyStore(RedisConnection.open(settings), RedisIdempotencyStore.DEFAULT_KEY_PREFIX);
    }

    private static Claim aClaim() {
        return IdempotencyPolicy.DEFAULT.claimFor(FINGERPRINT, ClaimToken.random().get());
    }

    private static Jedis direct() {
        return redis.direct();
    }

    @Test
    void a_success_is_stored_under_the_original_key_compactly_with_its_ttl() {
        EventId id = PaymentEvents.anyEventId();
        Claim claim = aClaim();
        store.claim(id, claim);

        store.complete(id, claim, new IdempotencyRecord.Succeeded(FINGERPRINT, new TransactionId("txn_1000")),
                Duration.ofHours(24));

        try (Jedis jedis = direct()) {
            assertEquals("1S" + FINGERPRINT.value() + "txn_1000", jedis.get("webhook:" + id.value()));
            long ttl = jedis.pttl("webhook:" + id.value());
            assertTrue(ttl > Duration.ofHours(24).minusSeconds(1).toMillis() && ttl <= Duration.ofHours(24).toMillis(),
                    "PTTL " + ttl);
        }
    }

    @Test
    void a_claim_keeps_its_key_for_the_lease_plus_the_retention() {
        EventId id = PaymentEvents.anyEventId();

        store.claim(id, aClaim());

        try (Jedis jedis = direct()) {
            long ttl = jedis.pttl("webhook:" + id.value());
            Duration expected = IdempotencyPolicy.DEFAULT.leaseTtl().plus(IdempotencyPolicy.DEFAULT.failureTtl());
            assertTrue(ttl > expected.minusSeconds(1).toMillis() && ttl <= expected.toMillis(), "PTTL " + ttl);
        }
    }

    @Test
    void scripts_are_sent_again_after_the_server_forgets_them() {
        try (Jedis jedis = direct()) {
            jedis.scriptFlush();
        }
        EventId id = PaymentEvents.anyEventId();
        Claim claim = aClaim();

        assertEquals(ClaimResult.Claimed.fresh(), store.claim(id, claim));
        assertTrue(store.release(id, claim));
        try (Jedis jedis = direct()) {
            assertTrue(jedis.scriptExists(LuaScript.fromResource("claim.lua").sha1()));
        }
    }

    @Test
    void a_value_it_cannot_read_is_reported_as_such_with_its_key_and_never_overwritten() {
        EventId id = PaymentEvents.anyEventId();
        try (Jedis jedis = direct()) {
            jedis.set("webhook:" + id.value(), "success");
        }

        StoredRecordUnreadable error = assertThrows(StoredRecordUnreadable.class, () -> store.claim(id, aClaim()));

        assertEquals("webhook:" + id.value(), error.key());
        assertThrows(StoredRecordUnreadable.class, () -> store.find(id));
        try (Jedis jedis = direct()) {
            assertEquals("success", jedis.get("webhook:" + id.value()));
        }
    }

    @Test
    void a_claim_with_a_damaged_lease_is_unreadable_rather_than_an_outage() {
        EventId id = PaymentEvents.anyEventId();
        try (Jedis jedis = direct()) {
            jedis.set("webhook:" + id.value(), "1P" + FINGERPRINT.value() + "x".repeat(22) + "not-a-time");
        }

        assertThrows(StoredRecordUnreadable.class, () -> store.claim(id, aClaim()));
        assertThrows(StoredRecordUnreadable.class, () -> store.find(id));
    }

    @Test
    void the_health_check_reports_the_eviction_policy_and_warns_unless_it_is_noeviction() {
        assertEquals(new StoreHealth(Map.of("store", "redis", "maxmemory_policy", "noeviction"),
                List.of(), false), store.check());
        try (LocalRedisServer evicting = LocalRedisServer.start("--maxmemory-policy", "volatile-lru");
             RedisIdempotencyStore onEvicting = storeOn(evicting.url(), Duration.ofSeconds(1))) {
            StoreHealth health = onEvicting.check();

            assertTrue(health.mayEvict());
            assertEquals("volatile-lru", health.details().get("maxmemory_policy"));
            assertTrue(health.warnings().getFirst().contains("volatile-lru"), health.warnings().toString());
            assertTrue(health.warnings().getFirst().contains("charged again"), health.warnings().toString());
        }
    }

    @Test
    void a_read_only_replica_is_named_as_such() {
        try (LocalRedisServer replica = LocalRedisServer.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
             RedisIdempotencyStore onReplica = storeOn(replica.url(), Duration.ofSeconds(1))) {
            IdempotencyStoreUnavailable error = assertThrows(IdempotencyStoreUnavailable.class,
                    () -> onReplica.claim(PaymentEvents.anyEventId(), aClaim()));

            assertEquals(IdempotencyStoreUnavailable.Kind.READ_ONLY, error.kind());
        }
    }

    @Test
    void an_outage_fails_fast_and_the_store_recovers_by_itself_when_redis_is_back() {
        try (LocalRedisServer flaky = LocalRedisServer.start();
             RedisIdempotencyStore onFlaky = storeOn(flaky.url(), Duration.ofMillis(500))) {
            onFlaky.check();
            flaky.stop();

            long started = System.nanoTime();
            IdempotencyStoreUnavailable down = assertThrows(IdempotencyStoreUnavailable.class,
                    () -> onFlaky.claim(PaymentEvents.anyEventId(), aClaim()));
            assertThrows(IdempotencyStoreUnavailable.class, onFlaky::check);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3_000);
            assertEquals(IdempotencyStoreUnavailable.Kind.CONNECTION, down.kind());

            flaky.restart();
            assertInstanceOf(ClaimResult.Claimed.class, eventually(() -> onFlaky.claim(PaymentEvents.anyEventId(), aClaim())));
        }
    }

    @Test
    void a_frozen_redis_is_answered_within_one_command_timeout_every_time() throws Exception {
        Duration timeout = Duration.ofMillis(1_000);
        // One timeout plus room for scheduling 100 waiting threads on a loaded machine; two would fail it.
        long boundMillis = timeout.toMillis() + 800;
        try (LocalRedisServer slow = LocalRedisServer.start();
             RedisIdempotencyStore onSlow = storeOn(slow.url(), timeout)) {
            onSlow.check();
            slow.freeze();
            try {
                for (int i = 0; i < 3; i++) {
                    long started = System.nanoTime();
                    IdempotencyStoreUnavailable error = assertThrows(IdempotencyStoreUnavailable.class,
                            () -> onSlow.claim(PaymentEvents.anyEventId(), aClaim()));
                    long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                    assertTrue(tookMillis < boundMillis, "call " + i + " took " + tookMillis + " ms");
                    assertEquals(IdempotencyStoreUnavailable.Kind.TIMEOUT, error.kind());
                }
                List<Long> burst = new java.util.concurrent.CopyOnWriteArrayList<>();
                try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < 100; i++) {
                        threads.submit(() -> {
                            long started = System.nanoTime();
                            IdempotencyStoreUnavailable error = assertThrows(IdempotencyStoreUnavailable.class,
                                    () -> onSlow.claim(PaymentEvents.anyEventId(), aClaim()));
                            // Most of these wait behind a batch stuck on the wire and are failed by the
                            // watchdog, not by a socket time-out: a time-out all the same.
                            if (error.kind() == IdempotencyStoreUnavailable.Kind.TIMEOUT) {
                                burst.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
                            }
                        });
                    }
                }
                assertEquals(100, burst.size());
                assertTrue(burst.stream().allMatch(took -> took < boundMillis), "burst took " + burst);
            } finally {
                slow.thaw();
            }
            assertInstanceOf(ClaimResult.Claimed.class, eventually(() -> onSlow.claim(PaymentEvents.anyEventId(), aClaim())));
        }
    }

    @Test
    void a_password_in_the_url_authenticates_and_a_wrong_one_never_shows_in_errors() {
        String password = "s3cret-Pa55word";
        try (LocalRedisServer guarded = LocalRedisServer.start("--requirepass", password)) {
            String host = guarded.address().toString();
            try (RedisIdempotencyStore good = storeOn("redis://:" + password + "@" + host, Duration.ofSeconds(1))) {
                assertEquals(ClaimResult.Claimed.fresh(), good.claim(PaymentEvents.anyEventId(), aClaim()));
            }
            String wrong = "wrong-Pa55word";
            try (RedisIdempotencyStore bad = storeOn("redis://:" + wrong + "@" + host, Duration.ofSeconds(1))) {
                IdempotencyStoreUnavailable error = assertThrows(IdempotencyStoreUnavailable.class,
                        () -> bad.claim(PaymentEvents.anyEventId(), aClaim()));
                assertEquals(IdempotencyStoreUnavailable.Kind.AUTHENTICATION, error.kind());
                assertTrue(error.getMessage().contains("refused the credentials"), error.getMessage());
                assertNoSecret(error, wrong);
                assertNoSecret(error, password);
            }
        }
    }

    @Test
    void an_acl_user_and_password_in_the_url_authenticate() {
        try (LocalRedisServer acl = LocalRedisServer.start("--user", "payhook", "on", ">hook-Pa55", "~webhook:*", "+@all")) {
            String url = "redis://payhook:hook-Pa55@" + acl.address();
            try (RedisIdempotencyStore store = storeOn(url, Duration.ofSeconds(1))) {
                assertEquals(ClaimResult.Claimed.fresh(), store.claim(PaymentEvents.anyEventId(), aClaim()));
                store.check();
            }
        }
    }

    private static void assertNoSecret(Throwable error, String secret) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in: " + t);
            assertFalse(t.toString().contains(secret), "secret in: " + t);
        }
    }

    private static <T> T eventually(java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try {
                return call.get();
            } catch (IdempotencyStoreUnavailable e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
