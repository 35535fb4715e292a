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
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Delay;

/**
 * The service's way to one Redis server, one Redis Cluster or the primary of a Sentinel setup, shared by
 * everything it keeps in Redis. Opening it does not need Redis to be up: connections are made on demand
 * and re-made after Redis comes back. Only with Sentinel must one sentinel answer at opening, to say where
 * the primary is.
 *
 * <p>On one server the idempotency store's commands share one pipelined connection, bounded by the
 * command timeout from the moment they are queued. On a cluster they go through Jedis's cluster client,
 * which retries on another node after a slot move or a failover; with Sentinel, through Jedis's Sentinel
 * client, which moves its pool to the promoted replica when the sentinels announce a failover.
 */
public final class RedisConnection implements AutoCloseable {

    /** Attempts of one command on a cluster: the first, and retries after a move or a failed node. */
    static final int CLUSTER_ATTEMPTS = 3;
    /** Commands that may wait for one server before new ones are refused at once. */
    private static final int MAX_QUEUED_COMMANDS = 10_000;
    /** How soon a sentinel whose connection broke is asked again; it also re-reads the primary then. */
    private static final Duration SENTINEL_RECONNECT_DELAY = Duration.ofSeconds(1);

    private final RedisSettings settings;
    private final RedisCommands commands;
    private final String label;
    private final String description;
    private UnifiedJedis pooledClient;

    private RedisConnection(RedisSettings settings, RedisCommands commands, String label, String description) {
        this.settings = settings;
        this.commands = commands;
        this.label = label;
        this.description = description;
    }

    public static RedisConnection open(RedisSettings settings) {
        JedisClientConfig config = clientConfig(settings);
        return switch (settings.endpoint()) {
            case RedisEndpoint.Standalone standalone -> {
                HostAndPort address = new HostAndPort(standalone.address().host(), standalone.address().port());
                JedisClientConfig forServer = DefaultJedisClientConfig.builder().from(config)
                        .database(standalone.database()).build();
                yield new RedisConnection(settings,
                        new StandaloneCommands(new PipelinedConnection(address, forServer,
                                settings.commandTimeout(), MAX_QUEUED_COMMANDS)),
                        "redis", standalone.describe());
            }
            case RedisEndpoint.Cluster cluster -> {
                // Let the client start while the cluster is unreachable; it discovers slots on first use.
                System.setProperty(RedisClusterClient.INIT_NO_ERROR_PROPERTY, "true");
                Set<HostAndPort> seeds = new LinkedHashSet<>();
                cluster.seeds().forEach(seed -> seeds.add(new HostAndPort(seed.host(), seed.port())));
                RedisClusterClient client = RedisClusterClient.builder()
                        .nodes(seeds)
                        .clientConfig(config)
                        .poolConfig(poolConfig(settings))
                        .maxAttempts(CLUSTER_ATTEMPTS)
                        .maxTotalRetriesDuration(settings.commandTimeout().multipliedBy(CLUSTER_ATTEMPTS))
                        .build();
                yield new RedisConnection(settings, new ClusterCommands(client), "redis-cluster",
                        cluster.describe());
            }
            case RedisEndpoint.Sentinel sentinel -> new RedisConnection(settings,
                    new SentinelCommands(openSentinel(sentinel, settings, config)), "redis-sentinel",
                    sentinel.describe());
        };
    }

    /**
     * Jedis's Sentinel client asks the sentinels for the primary, then listens on each of them for
     * {@code +switch-master} and moves its pool to the promoted replica.
     */
    private static RedisSentinelClient openSentinel(RedisEndpoint.Sentinel sentinel, RedisSettings settings,
                                                    JedisClientConfig config) {
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
                    .poolConfig(poolConfig(settings))
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
                // RESP2 needs no HELLO round trip when a connection is made.
                .protocol(RedisProtocol.RESP2)
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
        // A wait for a free connection is bounded like a command, and adds to it.
        pool.setMaxWait(settings.commandTimeout());
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        return pool;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    RedisCommands commands() {
        return commands;
    }

    /**
     * A pooled Jedis client on the same Redis, for libraries that need one (the shared rate limiter);
     * on one server it is made on first use, with its own small pool.
     */
    synchronized UnifiedJedis client() {
        if (commands instanceof ClusterCommands cluster) {
            return cluster.client();
        }
        if (commands instanceof SentinelCommands sentinel) {
            return sentinel.client();
        }
        if (pooledClient == null) {
            RedisEndpoint.Standalone standalone = (RedisEndpoint.Standalone) settings.endpoint();
            pooledClient = RedisClient.builder()
                    .hostAndPort(standalone.address().host(), standalone.address().port())
                    .clientConfig(DefaultJedisClientConfig.builder().from(clientConfig(settings))
                            .database(standalone.database()).build())
                    .poolConfig(poolConfig(settings))
                    .build();
        }
        return pooledClient;
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
    public synchronized void close() {
        commands.close();
        if (pooledClient != null) {
            pooledClient.close();
        }
    }
}
