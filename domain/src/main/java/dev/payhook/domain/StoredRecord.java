package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * A record as found in the store, with how long it still counts: the rest of the lease for
 * {@link IdempotencyRecord.InProgress}, the rest of the TTL for terminal records.
 */
public record StoredRecord(IdempotencyRecord record, Duration remaining) {

    public StoredRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(remaining, "remaining");
        if (remaining.isNegative()) {
            remaining = Duration.ZERO;
        }
    }
}
