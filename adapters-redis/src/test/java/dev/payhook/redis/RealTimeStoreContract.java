package dev.payhook.redis;

import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.contract.IdempotencyStoreContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * The domain's store contract for a store on a real Redis: Redis keeps its own time, so letting time pass
 * means waiting, and each run writes under a fresh key prefix.
 */
abstract class RealTimeStoreContract extends IdempotencyStoreContract {

    private static RedisIdempotencyStore store;
    private static AutoCloseable server;

    /** Called once by each subclass's {@code @BeforeAll} with the connection and the server behind it. */
    static void useStore(RedisConnection connection, AutoCloseable redisServer) {
        store = new RedisIdempotencyStore(connection, "contract-" + UUID.randomUUID() + ":");
        server = redisServer;
    }

    @AfterAll
    static void stopStore() throws Exception {
        try (AutoCloseable ignored = server) {
            store.close();
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
