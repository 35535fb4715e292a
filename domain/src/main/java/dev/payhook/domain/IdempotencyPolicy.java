package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the use case's records live: successes and declines for {@code successTtl}, failures for
 * {@code failureTtl} (no retry before), claims for {@code leaseTtl}. A claim whose lease ran out stays
 * recognisable for {@code failureTtl} more, so whoever takes it over can tell it was abandoned. An unknown
 * outcome turns deliveries away for {@code reconcileAfter} (the provider's own records may lag that long),
 * and is kept for {@code successTtl}, so that it is reconciled rather than forgotten.
 */
public record IdempotencyPolicy(Duration successTtl, Duration failureTtl, Duration leaseTtl,
                                Duration reconcileAfter) {

    public static final Duration DEFAULT_RECONCILE_AFTER = Duration.ofMinutes(1);
    public static final IdempotencyPolicy DEFAULT = new IdempotencyPolicy(Duration.ofHours(24), Duration.ofHours(1),
            Duration.ofSeconds(30), DEFAULT_RECONCILE_AFTER);

    public IdempotencyPolicy {
        requirePositive(successTtl, "successTtl");
        requirePositive(failureTtl, "failureTtl");
        requirePositive(leaseTtl, "leaseTtl");
        requirePositive(reconcileAfter, "reconcileAfter");
    }

    /** A fresh claim on a payment, owned by {@code token}. */
    public Claim claimFor(Fingerprint fingerprint, ClaimToken token) {
        return new Claim(token, fingerprint, leaseTtl, failureTtl);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
