package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;

/** What processing one delivery of an event came to; the HTTP adapter maps each to a response. */
public sealed interface WebhookOutcome {

    EventId eventId();

    /** The short name used in logs and the {@code outcome} label of metrics. */
    String label();

    /** We charged now. */
    record Processed(EventId eventId, TransactionId transactionId) implements WebhookOutcome {
        public Processed {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(transactionId, "transactionId");
        }

        @Override
        public String label() {
            return "processed";
        }
    }

    /** The event was paid before; this is a replay of that payment's transaction id. */
    record AlreadyProcessed(EventId eventId, TransactionId transactionId) implements WebhookOutcome {
        public AlreadyProcessed {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(transactionId, "transactionId");
        }

        @Override
        public String label() {
            return "already_processed";
        }
    }

    /** The gateway declined, now or ({@code replayed}) on an earlier delivery: final, stop retrying. */
    record Declined(EventId eventId, String reason, boolean replayed) implements WebhookOutcome {
        public Declined {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String label() {
            return "declined";
        }
    }

    /** Another delivery holds the event right now; its lease ends in {@code retryAfter}. */
    record InProgress(EventId eventId, Duration retryAfter) implements WebhookOutcome {
        public InProgress {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public String label() {
            return "in_progress";
        }
    }

    /** The gateway failed now; the event is recorded as failed and not retried until that record expires. */
    record PaymentFailed(EventId eventId, String reason) implements WebhookOutcome {
        public PaymentFailed {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String label() {
            return "payment_failed";
        }
    }

    /** An earlier delivery failed at the gateway; retries are held off for {@code retryAfter}. */
    record RecentlyFailed(EventId eventId, Duration retryAfter) implements WebhookOutcome {
        public RecentlyFailed {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public String label() {
            return "recently_failed";
        }
    }

    /** The id was seen with another amount or currency: never a payment. */
    record PayloadMismatch(EventId eventId) implements WebhookOutcome {
        public PayloadMismatch {
            Objects.requireNonNull(eventId, "eventId");
        }

        @Override
        public String label() {
            return "payload_mismatch";
        }
    }

    /** The gateway did not try (for example an open circuit breaker); the claim was released. */
    record GatewayUnavailable(EventId eventId, String reason, Duration retryAfter) implements WebhookOutcome {
        public GatewayUnavailable {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public String label() {
            return "gateway_unavailable";
        }
    }

    /**
     * The provider's answer left open whether it paid (now or on an earlier delivery); the provider is asked
     * before any new charge once the outcome is due for reconciliation, after {@code retryAfter}.
     */
    record PaymentPending(EventId eventId, Duration retryAfter) implements WebhookOutcome {
        public PaymentPending {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public String label() {
            return "outcome_unknown";
        }
    }

    /** The provider would refuse this payment as it is (an amount below its minimum, say): nothing was sent. */
    record NotPayable(EventId eventId, String rule) implements WebhookOutcome {
        public NotPayable {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String label() {
            return "not_payable";
        }
    }
}
