package dev.payhook.http;

import dev.payhook.domain.RateLimiter;
import java.util.Objects;
import java.util.Optional;

/**
 * What stands between the network and the use case: signature checks (when configured), the rate limiter,
 * the limit on failed signatures per client address, and the server's connection limits.
 *
 * @param signatures       empty: requests are not signed and anyone who can reach the port can submit events
 * @param rateLimiter      asked once per {@code POST /webhooks}: first when unsigned, after the signature
 *                         holds when signed
 * @param failedSignatures how many failed signature checks each client address may cause
 * @param limits           enforced by Jetty
 */
public record EdgeSecurity(Optional<SignatureVerifier> signatures, RateLimiter rateLimiter,
                           FailedSignatureLimiter failedSignatures, ServerLimits limits) {

    public EdgeSecurity {
        Objects.requireNonNull(signatures, "signatures");
        Objects.requireNonNull(rateLimiter, "rateLimiter");
        Objects.requireNonNull(failedSignatures, "failedSignatures");
        Objects.requireNonNull(limits, "limits");
    }
}
