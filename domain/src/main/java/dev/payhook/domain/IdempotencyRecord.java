package dev.payhook.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What the idempotency store holds for one event id: the states of DESIGN.md §3. */
public sealed interface IdempotencyRecord {

    /** Every record remembers what payment it was for, so a reused id with another payload is caught. */
    Fingerprint fingerprint();

    /**
     * A worker owns the event until its lease runs out; only the holder of {@code token} may finish it.
     * {@code attempt} is the attempt it charges as; from the second on, the provider is asked first.
     */
    record InProgress(Fingerprint fingerprint, ClaimToken token, int attempt) implements IdempotencyRecord {
        public InProgress {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(token, "token");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1");
            }
        }
    }

    /**
     * The provider's answer to {@code attempt} left open whether it paid. Deliveries are turned away until
     * it is due for reconciliation; then the next delivery of the same payment asks the provider before any
     * new charge.
     *
     * @param reference the provider's id of the payment, when the answer named one
     * @param since     when the outcome first became unknown
     * @param sent      when {@code attempt} was sent to the provider: a payment it made was created after that
     */
    record Unknown(Fingerprint fingerprint, int attempt, String reason, Optional<TransactionId> reference,
                   Instant since, Instant sent) implements IdempotencyRecord {
        public Unknown {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(sent, "sent");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1");
            }
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

    /** The provider refused the request and charged nothing; the event is not retried until this expires. */
    record Failed(Fingerprint fingerprint, String reason) implements Terminal {
        public Failed {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
