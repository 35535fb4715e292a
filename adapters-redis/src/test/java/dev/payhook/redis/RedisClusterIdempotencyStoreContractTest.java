package dev.payhook.redis;

import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.contract.IdempotencyStoreContract;
import dev.payhook.redis.testing.LocalRedisCluster;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The domain's store contract, unchanged, against a real three-master Redis Cluster. */
class RedisClusterIdempotencyStoreContractTest extends IdempotencyStoreContract {

    private static LocalRedisCluster cluster;
    private static RedisIdempotencyStore store;

    @BeforeAll
    static void startCluster() {
        cluster = LocalRedisCluster.start();
        RedisConnection connection = RedisConnection.open(
                RedisSettings.defaults(RedisEndpoint.fromClusterNodes(cluster.nodesVariable())));
        store = new RedisIdempotencyStore(connection, "contract-" + UUID.randomUUID() + ":");
    }

    @AfterAll
    static void stopCluster() {
        try (LocalRedisCluster ignored = cluster) {
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
