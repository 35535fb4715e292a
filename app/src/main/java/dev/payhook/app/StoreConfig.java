package dev.payhook.app;

import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import dev.payhook.redis.RedisEndpoint;
import dev.payhook.redis.RedisIdempotencyStore;
import dev.payhook.redis.RedisSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * Which idempotency store to run on, read from REDIS_URL / REDIS_CLUSTER_NODES / REDIS_SENTINELS and the
 * REDIS_* variables.
 */
public sealed interface StoreConfig {

    /** The {@code store} label of metrics. */
    String label();

    /** The longest one store operation may take before it fails, for the lease budget. */
    Duration worstCaseOperation();

    /** The embedded default: one instance, nothing survives a restart, at most {@code maxRecords} records. */
    record InMemory(int maxRecords) implements StoreConfig {
        @Override
        public String label() {
            return "memory";
        }

        @Override
        public Duration worstCaseOperation() {
            return Duration.ZERO;
        }
    }

    /** Redis, Redis Cluster or Redis Sentinel, shared by every instance; keys are {@code keyPrefix + event id}. */
    record Redis(RedisSettings settings, String keyPrefix) implements StoreConfig {
        @Override
        public String label() {
            return switch (settings.endpoint()) {
                case RedisEndpoint.Standalone ignored -> "redis";
                case RedisEndpoint.Cluster ignored -> "redis-cluster";
                case RedisEndpoint.Sentinel ignored -> "redis-sentinel";
            };
        }

        @Override
        public Duration worstCaseOperation() {
            return settings.worstCaseOperation();
        }
    }

    static StoreConfig read(Env env) {
        String keyPrefix = env.text("IDEMPOTENCY_KEY_PREFIX", RedisIdempotencyStore.DEFAULT_KEY_PREFIX);
        Duration connectTimeout = env.duration("REDIS_CONNECT_TIMEOUT", Duration.ofSeconds(2));
        Duration commandTimeout = env.duration("REDIS_COMMAND_TIMEOUT", Duration.ofSeconds(1));
        int poolSize = env.integer("REDIS_POOL_SIZE", 64, 1, 10_000);
        int maxRecords = env.integer("MEMORY_STORE_MAX_RECORDS", InMemoryIdempotencyStore.DEFAULT_MAX_RECORDS, 1,
                100_000_000);
        var url = env.secret("REDIS_URL");
        var clusterNodes = env.secret("REDIS_CLUSTER_NODES");
        var sentinels = env.secret("REDIS_SENTINELS");
        var sentinelMaster = env.secret("REDIS_SENTINEL_MASTER");
        boolean conflict = false;
        if (url.isPresent() && clusterNodes.isPresent()) {
            env.problem("REDIS_URL", "set either REDIS_URL or REDIS_CLUSTER_NODES, not both");
            conflict = true;
        }
        if (sentinels.isPresent() && url.isPresent()) {
            env.problem("REDIS_SENTINELS", "set either REDIS_SENTINELS or REDIS_URL, not both");
            conflict = true;
        }
        if (sentinels.isPresent() && clusterNodes.isPresent()) {
            env.problem("REDIS_SENTINELS", "set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both");
            conflict = true;
        }
        if (sentinels.isEmpty() && sentinelMaster.isPresent() && (url.isPresent() || clusterNodes.isPresent())) {
            env.problem("REDIS_SENTINEL_MASTER", "is only read with REDIS_SENTINELS; unset it when using REDIS_URL"
                    + " or REDIS_CLUSTER_NODES");
            conflict = true;
        }
        if (conflict) {
            return new InMemory(maxRecords);
        }
        RedisEndpoint endpoint;
        try {
            if (sentinels.isPresent() || sentinelMaster.isPresent()) {
                Optional<RedisEndpoint> sentinel = sentinelEndpoint(env, sentinels, sentinelMaster);
                if (sentinel.isEmpty()) {
                    return new InMemory(maxRecords);
                }
                endpoint = sentinel.get();
            } else if (url.isPresent()) {
                endpoint = RedisEndpoint.fromUrl(url.get());
            } else if (clusterNodes.isPresent()) {
                endpoint = RedisEndpoint.fromClusterNodes(clusterNodes.get());
            } else {
                return new InMemory(maxRecords);
            }
        } catch (IllegalArgumentException e) {
            // The message never repeats the value: it may hold a password.
            env.problem(url.isPresent() ? "REDIS_URL" : "REDIS_CLUSTER_NODES", e.getMessage());
            return new InMemory(maxRecords);
        }
        return new Redis(new RedisSettings(endpoint, connectTimeout, commandTimeout, poolSize), keyPrefix);
    }

    /** Both variables are needed, and each is parsed on its own so that a problem names the right one. */
    private static Optional<RedisEndpoint> sentinelEndpoint(Env env, Optional<String> sentinels,
                                                            Optional<String> master) {
        if (sentinels.isEmpty()) {
            env.problem("REDIS_SENTINELS", "must be set with REDIS_SENTINEL_MASTER: the sentinels to ask, e.g."
                    + " 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379");
        }
        if (master.isEmpty()) {
            env.problem("REDIS_SENTINEL_MASTER", "must be set with REDIS_SENTINELS: the master name the sentinels"
                    + " monitor, e.g. mymaster");
        }
        RedisEndpoint.SentinelNodes nodes = null;
        RedisEndpoint.SentinelMaster primary = null;
        try {
            nodes = sentinels.map(RedisEndpoint::fromSentinelNodes).orElse(null);
        } catch (IllegalArgumentException e) {
            env.problem("REDIS_SENTINELS", e.getMessage());
        }
        try {
            primary = master.map(RedisEndpoint::fromSentinelMaster).orElse(null);
        } catch (IllegalArgumentException e) {
            env.problem("REDIS_SENTINEL_MASTER", e.getMessage());
        }
        return nodes == null || primary == null ? Optional.empty()
                : Optional.of(new RedisEndpoint.Sentinel(primary, nodes));
    }
}
