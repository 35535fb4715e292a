package dev.payhook.redis;

/** A Redis server's host and port. */
public record RedisAddress(String host, int port) {

    public static final int DEFAULT_PORT = 6379;

    public RedisAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 1 and 65535");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
