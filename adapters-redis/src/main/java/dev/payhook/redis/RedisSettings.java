package dev.payhook.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Redis and how patiently.
 *
 * @param commandTimeout a command that takes longer fails, and the request gets 503 instead of hanging
 * @param poolSize       connections kept per server; waiting for one is bounded by the command timeout
 */
public record RedisSettings(RedisEndpoint endpoint, Duration connectTimeout, Duration commandTimeout, int poolSize) {

    public RedisSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(commandTimeout, "commandTimeout");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be positive");
        }
    }

    /**
     * The longest one store operation may take before it fails. On one server a command is bounded by the
     * command timeout from the moment it is queued. With Sentinel it may wait for a pooled connection and then
     * for the command; on a cluster, so may each attempt, and a command is tried up to three times.
     */
    public Duration worstCaseOperation() {
        return switch (endpoint) {
            case RedisEndpoint.Standalone ignored -> commandTimeout;
            case RedisEndpoint.Sentinel ignored -> commandTimeout.multipliedBy(2);
            case RedisEndpoint.Cluster ignored -> commandTimeout.multipliedBy(2L * RedisConnection.CLUSTER_ATTEMPTS);
        };
    }

    /** How {@link #worstCaseOperation()} comes about, for an operator reading a configuration error. */
    public String worstCaseExplained() {
        return switch (endpoint) {
            case RedisEndpoint.Standalone ignored -> "REDIS_COMMAND_TIMEOUT";
            case RedisEndpoint.Sentinel ignored -> "pool wait + REDIS_COMMAND_TIMEOUT";
            case RedisEndpoint.Cluster ignored -> "(pool wait + REDIS_COMMAND_TIMEOUT) x "
                    + RedisConnection.CLUSTER_ATTEMPTS + " attempts on a cluster";
        };
    }

    public static RedisSettings defaults(RedisEndpoint endpoint) {
        return new RedisSettings(endpoint, Duration.ofSeconds(2), Duration.ofSeconds(1), 64);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
