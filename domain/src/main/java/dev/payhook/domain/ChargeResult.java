package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;

/** What a {@link PaymentGateway} made of a charge request. */
public sealed interface ChargeResult {

    /** The short name used in logs and metrics. */
    String label();

    /** Money moved; {@code transactionId} identifies the payment at the provider. */
    record Charged(TransactionId transactionId) implements ChargeResult {
        public Charged {
            Objects.requireNonNull(transactionId, "transactionId");
        }

        @Override
        public String label() {
            return "charged";
        }
    }

    /** The provider refused the payment: a final business answer that no retry will change. */
    record Declined(String reason) implements ChargeResult {
        public Declined {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String label() {
            return "declined";
        }
    }

    /**
     * The request was sent, or may have been, and no answer came back usable: a timeout, a 5xx, a broken
     * connection, or an error the provider will repeat ({@code retryable} false: bad credentials, an
     * invalid request). Whether money moved is unknown; the idempotency key makes a later retry safe.
     */
    record Failed(String reason, boolean retryable) implements ChargeResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String label() {
            return retryable ? "failed" : "error";
        }
    }

    /** Nothing was sent (for example an open circuit breaker); try again after {@code retryAfter}. */
    record NotAttempted(String reason, Duration retryAfter) implements ChargeResult {
        public NotAttempted {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public String label() {
            return "not_attempted";
        }
    }
}
