package dev.payhook.redis;

import dev.payhook.redis.testing.RedisHarness;
import dev.payhook.redis.testing.RedisServer;
import org.junit.jupiter.api.BeforeAll;

/** The domain's store contract, unchanged, against a real standalone Redis. */
class RedisIdempotencyStoreContractTest extends RealTimeStoreContract {

    @BeforeAll
    static void startRedis() {
        RedisServer redis = RedisHarness.standalone();
        useStore(RedisConnection.open(RedisSettings.defaults(RedisEndpoint.fromUrl(redis.url()))), redis);
    }
}
