package dev.payhook.domain;

import java.util.Objects;

/** The answer of {@link IdempotencyStore#claim}: either the claim is now ours, or another record was there. */
public sealed interface ClaimResult {

    /**
     * The store now holds our claim. {@code tookOverExpiredLease} says it replaced a claim whose lease had
     * run out (its worker crashed or stalled), which is worth counting.
     */
    record Claimed(boolean tookOverExpiredLease) implements ClaimResult {
    }

    /** A live record was already there and is left untouched. */
    record Existing(StoredRecord stored) implements ClaimResult {
        public Existing {
            Objects.requireNonNull(stored, "stored");
        }
    }
}
