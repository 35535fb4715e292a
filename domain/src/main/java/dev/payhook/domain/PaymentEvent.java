package dev.payhook.domain;

import java.util.Objects;

/** One delivery of a payment event: pay {@code amount} minor units of {@code currency}, once per event id. */
public record PaymentEvent(EventId id, long amount, Currency currency) {

    public PaymentEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
        if (amount <= 0) {
            throw new InvalidEventException("amount", "must be a positive integer");
        }
    }

    /** The hash of what defines the payment; the same id with another fingerprint is a different payment. */
    public Fingerprint fingerprint() {
        return Fingerprint.of(amount, currency);
    }
}
