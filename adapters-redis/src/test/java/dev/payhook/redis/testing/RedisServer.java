package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** A Redis server that a test may use; closing it stops whatever the harness started. */
public interface RedisServer extends AutoCloseable {

    /** {@code redis://host:port} */
    default String url() {
        return "redis://" + address();
    }

    RedisAddress address();

    /** A plain connection for a test to look at or tamper with what is stored. */
    default Jedis direct() {
        return direct(address(), 2_000);
    }

    /** A plain RESP2 connection to {@code address}, without protocol negotiation (old servers lack HELLO). */
    static Jedis direct(RedisAddress address, int timeoutMillis) {
        return new Jedis(new HostAndPort(address.host(), address.port()), DefaultJedisClientConfig.builder()
                .timeoutMillis(timeoutMillis).autoNegotiateProtocol(false).build());
    }

    @Override
    void close();
}
