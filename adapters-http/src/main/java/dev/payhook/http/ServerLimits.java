package dev.payhook.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on connections and request heads, enforced by Jetty before a request reaches a route.
 *
 * @param maxHeaderBytes     request line and headers together; larger ones get 431
 * @param idleTimeout        a connection that sends nothing for this long is closed, mid-request or between
 * @param minRequestDataRate bytes per second a request body must keep up once it started; slower gets 408.
 *                           0 turns the check off
 */
public record ServerLimits(int maxHeaderBytes, Duration idleTimeout, int minRequestDataRate) {

    public static final ServerLimits DEFAULTS = new ServerLimits(8_192, Duration.ofSeconds(30), 1_024);

    public ServerLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxHeaderBytes < 1_024) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 1024");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        if (minRequestDataRate < 0) {
            throw new IllegalArgumentException("minRequestDataRate must not be negative");
        }
    }
}
