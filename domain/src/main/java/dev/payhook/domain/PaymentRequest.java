package dev.payhook.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway is asked to charge, or to look up. The event id travels as the provider's idempotency
 * key, with the attempt number after the first attempt: an attempt begins anew only once the provider has
 * confirmed that the earlier ones left no payment.
 *
 * @param attempt   1 for the first attempt; a new attempt gets a new idempotency key
 * @param reference the provider's id of an earlier attempt's payment, when one is known (for lookups)
 * @param sent      for a lookup, when {@code attempt} was sent, if known. Known, a "not found" must be certain,
 *                  for the next charge gets a new key; unknown, the next charge repeats this attempt's key, and
 *                  the provider's idempotency makes a payment it missed harmless
 */
public record PaymentRequest(EventId eventId, long amount, Currency currency, int attempt,
                             Optional<TransactionId> reference, Optional<Instant> sent) {

    public PaymentRequest {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(sent, "sent");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
    }

    public PaymentRequest(EventId eventId, long amount, Currency currency) {
        this(eventId, amount, currency, 1, Optional.empty(), Optional.empty());
    }

    public static PaymentRequest of(PaymentEvent event) {
        return new PaymentRequest(event.id(), event.amount(), event.currency());
    }

    /** The same payment, as its attempt number {@code number}. */
    public PaymentRequest attempt(int number) {
        return new PaymentRequest(eventId, amount, currency, number, reference, sent);
    }

    /** The same payment, with the provider's id of an earlier attempt's payment to look up. */
    public PaymentRequest withReference(Optional<TransactionId> known) {
        return new PaymentRequest(eventId, amount, currency, attempt, known, sent);
    }

    /** The same payment, to look up knowing when its attempt was sent. */
    public PaymentRequest sentAt(Optional<Instant> when) {
        return new PaymentRequest(eventId, amount, currency, attempt, reference, when);
    }

    /**
     * The key a provider uses to turn a repeated request into the same payment instead of a second one:
     * the event id, and {@code :<attempt>} from the second attempt on.
     */
    public String idempotencyKey() {
        return attempt == 1 ? eventId.value() : eventId.value() + ":" + attempt;
    }
}
