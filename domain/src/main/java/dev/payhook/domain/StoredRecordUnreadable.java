package dev.payhook.domain;

/**
 * The store answered, but what it holds for an event is not a record this service can read (written by
 * another program or an incompatible version). Never guessed at: nothing is paid for that event until an
 * operator removes or fixes the value. Not an outage: the store itself is fine.
 */
public final class StoredRecordUnreadable extends RuntimeException {

    private final String key;

    /** {@code key}: where the value is, as the store names it (e.g. the Redis key). */
    public StoredRecordUnreadable(String key, String why) {
        super("the value at " + key + " is not a record payhook can read: " + why);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
