package dev.payhook.domain;

/** The sender's id of one payment event: 1 to 255 visible ASCII characters. It is the idempotency key. */
public record EventId(String value) {

    public static final int MAX_LENGTH = 255;

    public EventId {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException("event_id", "must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidEventException("event_id", "must be at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidEventException("event_id", "must contain only visible ASCII characters");
            }
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
