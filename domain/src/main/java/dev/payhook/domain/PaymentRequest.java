package dev.payhook.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway is asked to charge, or to look up. The event id travels as the provider's idempotency
 * key, with the attempt number after the first attempt: an attempt begins anew only once the provider has
 * confirmed that the earlier ones left no payment.
 *
 * @param attempt   1 for the first attempt; a new attempt gets a new idempotency key
 * @param reference the provider's id of an earlier attempt's payment, when one is known (for lookups)
 */
public record PaymentRequest(EventId eventId, long amount, Currency currency, int attempt,
                             Optional<TransactionId> reference) {

    public PaymentRequest {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(reference, "reference");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
    }

    public PaymentRequest(EventId eventId, long amount, Currency currency) {
        this(eventId, amount, currency, 1, Optional.empty());
    }

    public static PaymentRequest of(PaymentEvent event) {
        return new PaymentRequest(event.id(), event.amount(), event.currency());
    }

    /** The same payment, as its attempt number {@code number}. */
    public PaymentRequest attempt(int number) {
        return new PaymentRequest(eventId, amount, currency, number, reference);
    }

    /** The same payment, with the provider's id of an earlier attempt's payment to look up. */
    public PaymentRequest withReference(Optional<TransactionId> known) {
        return new PaymentRequest(eventId, amount, currency, attempt, known);
    }

    /**
     * The key a provider uses to turn a repeated request into the same payment instead of a second one:
     * the event id, and {@code :<attempt>} from the second attempt on.
     */
    public String idempotencyKey() {
        return attempt == 1 ? eventId.value() : eventId.value() + ":" + attempt;
    }
}
