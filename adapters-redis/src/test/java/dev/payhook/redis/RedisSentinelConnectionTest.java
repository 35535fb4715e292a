package dev.payhook.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.redis.testing.LocalRedisSentinel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The store on Redis Sentinel: it follows a failover by itself, and sentinels and data nodes have their own AUTH. */
class RedisSentinelConnectionTest {

    /** Down-after, agreement, election, promotion and the switch message, with room for a busy machine. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(20);

    private static RedisConnection open(String sentinels, String master) {
        return RedisConnection.open(RedisSettings.defaults(new RedisEndpoint.Sentinel(
                RedisEndpoint.fromSentinelMaster(master), RedisEndpoint.fromSentinelNodes(sentinels))));
    }

    @Test
    void after_the_primary_is_killed_the_same_connection_reaches_the_promoted_replica_with_the_data() {
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.start()) {
            RedisConnection connection = open(sentinel.sentinelsVariable(), LocalRedisSentinel.MASTER_NAME);
            RedisIdempotencyStore store = new RedisIdempotencyStore(connection, "failover:");
            connection.client().set("failover:before", "written-before");
            try (Jedis primary = sentinel.dataConnection(sentinel.primary())) {
                assertEquals(1, primary.waitReplicas(1, 2_000), "the write did not reach the replica");
            }

            RedisAddress killed = sentinel.killPrimary();
            long killedAt = System.nanoTime();

            assertThrows(IdempotencyStoreUnavailable.class, store::check, "the old primary still answered");
            RedisAddress promoted = sentinel.awaitPromotion(killed, FAILOVER_BOUND);
            Duration followed = awaitPing(store, killedAt);
            assertNotEquals(killed, promoted);
            assertEquals("written-before", connection.client().get("failover:before"));
            connection.client().set("failover:after", "written-after");
            try (Jedis direct = sentinel.dataConnection(promoted)) {
                assertEquals("written-after", direct.get("failover:after"), "the write did not land on the new primary");
            }
            System.out.printf("sentinel failover: the store answered again %d ms after the primary was killed%n",
                    followed.toMillis());
            store.close();
        }
    }

    @Test
    void sentinels_and_data_nodes_each_take_their_own_password_and_a_wrong_one_or_master_name_is_reported_safely() {
        String dataPassword = "Data-Pa55-sentinel";
        String sentinelPassword = "Sentinel-Pa55";
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.startWithPasswords(dataPassword, sentinelPassword)) {
            String sentinels = sentinel.sentinelAddresses().stream()
                    .map(address -> "redis://:" + sentinelPassword + "@" + address).reduce((a, b) -> a + "," + b)
                    .orElseThrow();
            try (RedisConnection connection = open(sentinels,
                    "redis://:" + dataPassword + "@" + LocalRedisSentinel.MASTER_NAME + "/2")) {
                new RedisIdempotencyStore(connection, "auth:").check();
                connection.client().set("auth:key", "value");
                try (Jedis direct = sentinel.dataConnection(sentinel.primary())) {
                    direct.select(2);
                    assertEquals("value", direct.get("auth:key"), "not written to database 2 of the primary");
                }
            }

            try (RedisIdempotencyStore wrongData = new RedisIdempotencyStore(
                    open(sentinels, "redis://:Wrong-Data-Pa55@" + LocalRedisSentinel.MASTER_NAME), "auth:")) {
                IdempotencyStoreUnavailable refused = assertThrows(IdempotencyStoreUnavailable.class, wrongData::check);
                assertFalse(refused.getMessage().contains("Wrong-Data-Pa55"), refused.getMessage());
            }

            IllegalStateException noSentinel = assertThrows(IllegalStateException.class, () -> open(
                    sentinels.replace(sentinelPassword, "Wrong-Sentinel-Pa55"), LocalRedisSentinel.MASTER_NAME));
            assertTrue(noSentinel.getMessage().contains(LocalRedisSentinel.MASTER_NAME), noSentinel.getMessage());
            assertFalse(noSentinel.getMessage().contains("Wrong-Sentinel-Pa55"), noSentinel.getMessage());

            IllegalStateException unknownMaster = assertThrows(IllegalStateException.class,
                    () -> open(sentinels, "othermaster"));
            assertTrue(unknownMaster.getMessage().contains("othermaster"), unknownMaster.getMessage());
            assertTrue(unknownMaster.getMessage().contains("not monitored"), unknownMaster.getMessage());
        }
    }

    private static Duration awaitPing(RedisIdempotencyStore store, long since) {
        long deadline = since + FAILOVER_BOUND.toNanos();
        while (true) {
            try {
                store.check();
                return Duration.ofNanos(System.nanoTime() - since);
            } catch (IdempotencyStoreUnavailable notYet) {
                assertTrue(System.nanoTime() < deadline, "the store did not follow the failover within " + FAILOVER_BOUND);
                sleep(Duration.ofMillis(50));
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
