package dev.payhook.app;

import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import dev.payhook.redis.RedisEndpoint;
import dev.payhook.redis.RedisIdempotencyStore;
import dev.payhook.redis.RedisSettings;
import java.time.Duration;

/** Which idempotency store to run on, read from REDIS_URL / REDIS_CLUSTER_NODES and the REDIS_* variables. */
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

    /** Redis or Redis Cluster, shared by every instance; keys are {@code keyPrefix + event id}. */
    record Redis(RedisSettings settings, String keyPrefix) implements StoreConfig {
        @Override
        public String label() {
            return settings.endpoint() instanceof RedisEndpoint.Cluster ? "redis-cluster" : "redis";
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
        if (url.isPresent() && clusterNodes.isPresent()) {
            env.problem("REDIS_URL", "set either REDIS_URL or REDIS_CLUSTER_NODES, not both");
            return new InMemory(maxRecords);
        }
        RedisEndpoint endpoint;
        try {
            if (url.isPresent()) {
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
}
