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
