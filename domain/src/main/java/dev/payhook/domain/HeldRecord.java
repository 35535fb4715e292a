package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * A record as an operator sees it: whatever the store holds, expired claims and due unknown outcomes
 * included. {@code remaining} is how long it still counts (zero once a lease or a wait has run out);
 * {@code version} identifies this very value, so that a change made after looking at it applies only if
 * nothing changed in between.
 */
public record HeldRecord(IdempotencyRecord record, Duration remaining, String version) {

    public HeldRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(version, "version");
        if (remaining.isNegative()) {
            remaining = Duration.ZERO;
        }
    }

    /** The state's name, as operators and the admin API say it. */
    public RecordState state() {
        return RecordState.of(record);
    }
}
