package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PaymentGateway} made of a charge request. The outcome is either known (charged, declined,
 * refused without charging, not attempted) or open ({@link Unknown}): then nothing may be concluded, and
 * the provider is asked before any new charge.
 */
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
     * The provider refused the request itself and charged nothing (bad credentials, an invalid request):
     * sending it again unchanged would get the same answer.
     */
    record Failed(String reason) implements ChargeResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String label() {
            return "failed";
        }
    }

    /**
     * The request was sent, or may have been, and the answer leaves open whether money moved: a timeout
     * after sending, a connection lost after sending, a provider 5xx, a concurrent request with the same
     * key, a payment still processing. {@code reference} is the provider's id of the payment when one is
     * known, to look it up later.
     */
    record Unknown(String reason, Optional<TransactionId> reference) implements ChargeResult {
        public Unknown {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(reference, "reference");
        }

        public Unknown(String reason) {
            this(reason, Optional.empty());
        }

        @Override
        public String label() {
            return "unknown";
        }
    }

    /** Nothing was sent or executed (open breaker, full bulkhead, provider rate limit); try again after {@code retryAfter}. */
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
