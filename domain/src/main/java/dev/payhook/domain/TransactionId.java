package dev.payhook.domain;

/** The payment provider's id of the payment made for an event. */
public record TransactionId(String value) {

    public TransactionId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("transaction id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
