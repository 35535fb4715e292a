package dev.payhook.domain;

import java.util.Objects;

/** What the idempotency store holds for one event id: the states of DESIGN.md §3. */
public sealed interface IdempotencyRecord {

    /** Every record remembers what payment it was for, so a reused id with another payload is caught. */
    Fingerprint fingerprint();

    /** A worker owns the event until its lease runs out; only the holder of {@code token} may finish it. */
    record InProgress(Fingerprint fingerprint, ClaimToken token) implements IdempotencyRecord {
        public InProgress {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(token, "token");
        }
    }

    /** A record that ends an attempt: it replaces the claim and lives for its own TTL. */
    sealed interface Terminal extends IdempotencyRecord {
    }

    /** The gateway charged: later deliveries replay {@code transactionId}. */
    record Succeeded(Fingerprint fingerprint, TransactionId transactionId) implements Terminal {
        public Succeeded {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(transactionId, "transactionId");
        }
    }

    /** The gateway declined: a final, business answer, replayed like a success. */
    record Declined(Fingerprint fingerprint, String reason) implements Terminal {
        public Declined {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The gateway failed in a way that may be transient; the event is not retried until this expires. */
    record Failed(Fingerprint fingerprint, String reason) implements Terminal {
        public Failed {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
