package dev.payhook.redis;

import dev.payhook.redis.testing.LocalRedisSentinel;
import org.junit.jupiter.api.BeforeAll;

/** The domain's store contract, unchanged, against a primary found through three real sentinels. */
class RedisSentinelIdempotencyStoreContractTest extends RealTimeStoreContract {

    @BeforeAll
    static void startSentinels() {
        LocalRedisSentinel sentinel = LocalRedisSentinel.start();
        useStore(RedisConnection.open(RedisSettings.defaults(new RedisEndpoint.Sentinel(
                RedisEndpoint.fromSentinelMaster(LocalRedisSentinel.MASTER_NAME),
                RedisEndpoint.fromSentinelNodes(sentinel.sentinelsVariable())))), sentinel);
    }
}
