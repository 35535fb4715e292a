package dev.payhook.domain;

import java.util.Objects;
import java.util.Optional;

/** The answer of {@link IdempotencyStore#claim}: either the claim is now ours, or another record was there. */
public sealed interface ClaimResult {

    /**
     * The store now holds our claim, to charge as {@code attempt}. {@code tookOverExpiredLease} says it
     * replaced a claim whose lease had run out (its worker crashed or stalled), which is worth counting;
     * {@code reconciling} is the unknown outcome it replaced, when it took over one that was due.
     */
    record Claimed(boolean tookOverExpiredLease, int attempt, Optional<IdempotencyRecord.Unknown> reconciling)
            implements ClaimResult {
        public Claimed {
            Objects.requireNonNull(reconciling, "reconciling");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1");
            }
        }

        /** A first claim on an event nobody holds. */
        public static Claimed fresh() {
            return new Claimed(false, 1, Optional.empty());
        }

        /** The claim of an abandoned claim, charging again as the same attempt. */
        public static Claimed takeover(int attempt) {
            return new Claimed(true, attempt, Optional.empty());
        }

        /** The claim of an unknown outcome that was due, charging (if the provider found nothing) as the next attempt. */
        public static Claimed reconciling(IdempotencyRecord.Unknown unknown) {
            return new Claimed(false, unknown.attempt() + 1, Optional.of(unknown));
        }

        /** Whether the provider must be asked before any charge. */
        public boolean mustReconcile() {
            return attempt > 1;
        }
    }

    /** A live record was already there and is left untouched. */
    record Existing(StoredRecord stored) implements ClaimResult {
        public Existing {
            Objects.requireNonNull(stored, "stored");
        }
    }
}
