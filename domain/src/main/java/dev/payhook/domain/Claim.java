package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * A worker's attempt to own an event for the length of its {@code lease}. When the lease runs out the
 * claim may be taken over; the store keeps it for {@code expiredRetention} more so the next claim can
 * report the takeover.
 */
public record Claim(ClaimToken token, Fingerprint fingerprint, Duration lease, Duration expiredRetention) {

    public Claim {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive");
        }
        if (expiredRetention == null || expiredRetention.isNegative()) {
            throw new IllegalArgumentException("expiredRetention must not be negative");
        }
    }

    /** The record a successful claim leaves in the store when it charges as attempt {@code attempt}. */
    public IdempotencyRecord.InProgress record(int attempt) {
        return new IdempotencyRecord.InProgress(fingerprint, token, attempt);
    }
}
