package dev.payhook.domain;

/** An event field that breaks the rules of a payment event; names the field so callers can say which. */
public final class InvalidEventException extends IllegalArgumentException {

    private final String field;

    public InvalidEventException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The message without the field prefix, for callers that report the field separately. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
