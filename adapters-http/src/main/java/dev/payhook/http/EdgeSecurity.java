package dev.payhook.http;

import dev.payhook.domain.RateLimiter;
import java.util.Objects;
import java.util.Optional;

/**
 * What stands between the network and the use case: signature checks (when configured), the rate limiter and
 * the server's connection limits.
 *
 * @param signatures  empty: requests are not signed and anyone who can reach the port can submit events
 * @param rateLimiter asked once per {@code POST /webhooks}, before anything else
 * @param limits      enforced by Jetty
 */
public record EdgeSecurity(Optional<SignatureVerifier> signatures, RateLimiter rateLimiter, ServerLimits limits) {

    /** Unsigned, unlimited, default connection limits: for tests and local runs. */
    public static final EdgeSecurity OPEN = new EdgeSecurity(Optional.empty(), RateLimiter.UNLIMITED, ServerLimits.DEFAULTS);

    public EdgeSecurity {
        Objects.requireNonNull(signatures, "signatures");
        Objects.requireNonNull(rateLimiter, "rateLimiter");
        Objects.requireNonNull(limits, "limits");
    }
}
