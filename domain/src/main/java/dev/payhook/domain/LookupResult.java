package dev.payhook.domain;

import java.util.Objects;
import java.util.Optional;

/** What the provider knows of an event's earlier attempts, asked before charging again after an unknown outcome. */
public sealed interface LookupResult {

    /** The short name used in logs and metrics. */
    String label();

    /** An earlier attempt charged: {@code transactionId} is that payment. */
    record Paid(TransactionId transactionId) implements LookupResult {
        public Paid {
            Objects.requireNonNull(transactionId, "transactionId");
        }

        @Override
        public String label() {
            return "charged";
        }
    }

    /** An earlier attempt was declined. */
    record Declined(String reason) implements LookupResult {
        public Declined {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String label() {
            return "declined";
        }
    }

    /** No earlier attempt left a payment: charging again, under a new idempotency key, cannot pay twice. */
    record NotFound() implements LookupResult {
        @Override
        public String label() {
            return "not_found";
        }
    }

    /** The provider cannot tell yet (a payment still processing, the provider unreachable): ask again later. */
    record Unclear(String reason, Optional<TransactionId> reference) implements LookupResult {
        public Unclear {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(reference, "reference");
        }

        @Override
        public String label() {
            return "unknown";
        }
    }
}
