package dev.payhook.redis;

import dev.payhook.redis.testing.LocalRedisCluster;
import org.junit.jupiter.api.BeforeAll;

/** The domain's store contract, unchanged, against a real three-master Redis Cluster. */
class RedisClusterIdempotencyStoreContractTest extends RealTimeStoreContract {

    @BeforeAll
    static void startCluster() {
        LocalRedisCluster cluster = LocalRedisCluster.start();
        useStore(RedisConnection.open(RedisSettings.defaults(RedisEndpoint.fromClusterNodes(cluster.nodesVariable()))),
                cluster);
    }
}
