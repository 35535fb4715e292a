package dev.payhook.redis;

import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.contract.IdempotencyStoreContract;
import dev.payhook.redis.testing.RedisHarness;
import dev.payhook.redis.testing.RedisServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The domain's store contract, unchanged, against a real standalone Redis. */
class RedisIdempotencyStoreContractTest extends IdempotencyStoreContract {

    private static RedisServer redis;
    private static RedisIdempotencyStore store;

    @BeforeAll
    static void startRedis() {
        redis = RedisHarness.standalone();
        RedisConnection connection = RedisConnection.open(
                RedisSettings.defaults(RedisEndpoint.fromUrl(redis.url())));
        store = new RedisIdempotencyStore(connection, "contract-" + UUID.randomUUID() + ":");
    }

    @AfterAll
    static void stopRedis() {
        try (RedisServer ignored = redis) {
            if (store != null) {
                store.close();
            }
        }
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @Override
    protected void passTime(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
