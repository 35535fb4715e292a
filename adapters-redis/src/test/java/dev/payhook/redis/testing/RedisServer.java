package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;

/** A Redis server that a test may use; closing it stops whatever the harness started. */
public interface RedisServer extends AutoCloseable {

    /** {@code redis://host:port} */
    default String url() {
        return "redis://" + address();
    }

    RedisAddress address();

    @Override
    void close();
}
