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
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Delay;

/**
 * A pooled Jedis client for one Redis server, one Redis Cluster or the primary of a Sentinel setup, shared
 * by everything the service keeps in Redis. Opening it does not need Redis to be up: connections are
 * made on demand and re-made after Redis comes back. Only with Sentinel must one sentinel answer at
 * opening, to say where the primary is.
 */
public final class RedisConnection implements AutoCloseable {

    /** How soon a sentinel whose connection broke is asked again; it also re-reads the primary then. */
    private static final Duration SENTINEL_RECONNECT_DELAY = Duration.ofSeconds(1);

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
            case RedisEndpoint.Sentinel sentinel -> new RedisConnection(
                    openSentinel(sentinel, settings, config, pool), "redis-sentinel", sentinel.describe());
        };
    }

    /**
     * Jedis's Sentinel client asks the sentinels for the primary, then listens on each of them for
     * {@code +switch-master} and moves its pool to the promoted replica.
     */
    private static RedisSentinelClient openSentinel(RedisEndpoint.Sentinel sentinel, RedisSettings settings,
                                                    JedisClientConfig config, ConnectionPoolConfig pool) {
        Set<HostAndPort> sentinels = new LinkedHashSet<>();
        sentinel.sentinels().addresses().forEach(node -> sentinels.add(new HostAndPort(node.host(), node.port())));
        DefaultJedisClientConfig.Builder sentinelConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(settings.connectTimeout()))
                .socketTimeoutMillis(millis(settings.commandTimeout()))
                .clientName("payhook")
                .ssl(sentinel.sentinels().tls())
                // Jedis talks to sentinels with its plain client, which does not negotiate RESP3.
                .serverDefaultProtocol();
        sentinel.sentinels().credentials().user().ifPresent(sentinelConfig::user);
        sentinel.sentinels().credentials().password().ifPresent(sentinelConfig::password);
        try {
            return RedisSentinelClient.builder()
                    .masterName(sentinel.master().name())
                    .sentinels(sentinels)
                    .sentinelClientConfig(sentinelConfig.build())
                    .sentinelReconnectDelay(Delay.constant(SENTINEL_RECONNECT_DELAY))
                    .clientConfig(DefaultJedisClientConfig.builder().from(config)
                            .database(sentinel.master().database()).build())
                    .poolConfig(pool)
                    .build();
        } catch (RuntimeException e) {
            // Jedis's message says whether no sentinel answered or none knows the master; it holds no secret.
            throw new IllegalStateException("could not find the primary of '" + sentinel.master().name()
                    + "' through the sentinels " + sentinel.sentinels().addresses() + ": " + e.getMessage(), e);
        }
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

    /** {@code redis}, {@code redis-cluster} or {@code redis-sentinel}: the {@code store} label of metrics. */
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
