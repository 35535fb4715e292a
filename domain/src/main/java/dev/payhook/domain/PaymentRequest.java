package dev.payhook.domain;

import java.util.Objects;

/** What the gateway is asked to charge. The event id travels as the provider's idempotency key. */
public record PaymentRequest(EventId eventId, long amount, Currency currency) {

    public PaymentRequest {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(currency, "currency");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
    }

    public static PaymentRequest of(PaymentEvent event) {
        return new PaymentRequest(event.id(), event.amount(), event.currency());
    }

    /** The key a provider uses to turn a repeated request into the same payment instead of a second one. */
    public String idempotencyKey() {
        return eventId.value();
    }
}
