package dev.payhook.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A pooled Jedis client for one Redis server or one Redis Cluster, shared by everything the service
 * keeps in Redis. Opening it does not need Redis to be up: connections are made on demand and
 * re-made after Redis comes back.
 */
public final class RedisConnection implements AutoCloseable {

    private final UnifiedJedis client;
    private final String label;
    private final String description;

    private RedisConnection(UnifiedJedis client, String label, String description) {
        this.client = client;
        this.label = label;
        this.description = description;
    }

    public static RedisConnection open(RedisSettings settings) {
        JedisClientConfig config = clientConfig(settings);
        ConnectionPoolConfig pool = poolConfig(settings);
        return switch (settings.endpoint()) {
            case RedisEndpoint.Standalone standalone -> new RedisConnection(
                    RedisClient.builder()
                            .hostAndPort(standalone.address().host(), standalone.address().port())
                            .clientConfig(DefaultJedisClientConfig.builder().from(config)
                                    .database(standalone.database()).build())
                            .poolConfig(pool)
                            .build(),
                    "redis", standalone.describe());
            case RedisEndpoint.Cluster cluster -> {
                // Let the client start while the cluster is unreachable; it discovers slots on first use.
                System.setProperty(RedisClusterClient.INIT_NO_ERROR_PROPERTY, "true");
                Set<HostAndPort> seeds = new LinkedHashSet<>();
                cluster.seeds().forEach(seed -> seeds.add(new HostAndPort(seed.host(), seed.port())));
                yield new RedisConnection(
                        RedisClusterClient.builder()
                                .nodes(seeds)
                                .clientConfig(config)
                                .poolConfig(pool)
                                .maxAttempts(3)
                                .maxTotalRetriesDuration(settings.commandTimeout().multipliedBy(3))
                                .build(),
                        "redis-cluster", cluster.describe());
            }
        };
    }

    private static JedisClientConfig clientConfig(RedisSettings settings) {
        RedisEndpoint endpoint = settings.endpoint();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(settings.connectTimeout()))
                .socketTimeoutMillis(millis(settings.commandTimeout()))
                .clientName("payhook")
                .ssl(endpoint.tls());
        endpoint.credentials().user().ifPresent(config::user);
        endpoint.credentials().password().ifPresent(config::password);
        return config.build();
    }

    private static ConnectionPoolConfig poolConfig(RedisSettings settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        // Waiting for a free connection counts against the same budget as a slow command.
        pool.setMaxWait(settings.commandTimeout());
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        return pool;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    UnifiedJedis client() {
        return client;
    }

    /** {@code redis} or {@code redis-cluster}: the {@code store} label of metrics. */
    public String label() {
        return label;
    }

    /** Where it connects, for logs; never the password. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        client.close();
    }
}
