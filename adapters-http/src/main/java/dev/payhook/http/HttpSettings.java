package dev.payhook.http;

import dev.payhook.domain.Currency;
import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP adapter needs from configuration.
 *
 * @param port            where to listen; 0 picks a free port
 * @param maxBodyBytes    larger request bodies are refused with 413 before they are parsed
 * @param defaultCurrency used for events that name no currency
 * @param drainDelay      how long a stopping server keeps serving, not ready, so load balancers stop sending
 * @param drainTimeout    how long a stopping server then waits for requests in flight
 */
public record HttpSettings(int port, int maxBodyBytes, Currency defaultCurrency, Duration drainDelay,
                           Duration drainTimeout) {

    public static final int DEFAULT_MAX_BODY_BYTES = 65_536;

    public HttpSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        Objects.requireNonNull(defaultCurrency, "defaultCurrency");
        Objects.requireNonNull(drainDelay, "drainDelay");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** Defaults on a given port: for tests and embedding. */
    public static HttpSettings onPort(int port) {
        return new HttpSettings(port, DEFAULT_MAX_BODY_BYTES, Currency.of("USD"), Duration.ZERO, Duration.ofSeconds(30));
    }
}
