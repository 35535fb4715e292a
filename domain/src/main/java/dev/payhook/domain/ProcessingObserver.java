package dev.payhook.domain;

import java.time.Duration;

/**
 * Told what the use case does, for metrics and logs. Implementations must be quick and must not throw;
 * every method has a do-nothing default.
 */
public interface ProcessingObserver {

    ProcessingObserver NONE = new ProcessingObserver() {
    };

    /** One delivery was decided. */
    default void processed(PaymentEvent event, WebhookOutcome outcome, Duration elapsed) {
    }

    /** One delivery could not be decided because the store did not answer; nothing was paid. */
    default void storeUnavailable(PaymentEvent event, IdempotencyStoreUnavailable error, Duration elapsed) {
    }

    /** One delivery could not be decided because the store holds a value for it that is not a record. */
    default void recordUnreadable(PaymentEvent event, StoredRecordUnreadable error, Duration elapsed) {
    }

    /** A claim replaced another whose lease had run out: its worker crashed or stalled mid-payment. */
    default void leaseTakenOver(EventId eventId) {
    }

    /** Our completion was refused because another worker had taken the event over; its record stands. */
    default void completionFenced(EventId eventId) {
    }

    /**
     * The gateway gave {@code record}'s result but the store could not take it: the sender is answered with
     * it anyway, and it waits in this process to be written later. Operators must see the result here.
     */
    default void completionPending(EventId eventId, IdempotencyRecord.Terminal record,
                                   IdempotencyStoreUnavailable cause) {
    }

    /** A result that waited was written after {@code waited}. */
    default void completionWrittenLate(EventId eventId, Duration waited) {
    }

    /** A result will never be written, for the reason given; its claim's lease running out lets a retry in. */
    default void completionLost(EventId eventId, IdempotencyRecord.Terminal record, String why) {
    }

    /**
     * Our claim could not be released after nothing was charged, or marked with an unknown outcome; it stays
     * in progress until its lease runs out, and the next delivery after that charges under the same key.
     */
    default void claimLeftToExpire(EventId eventId, IdempotencyStoreUnavailable cause) {
    }

    /**
     * The provider was asked what earlier attempts of an event did, and said {@code result}; the outcome had
     * been unknown for {@code unknownFor}.
     */
    default void reconciled(EventId eventId, LookupResult result, Duration unknownFor) {
    }

    /** The gateway answered {@code result} after {@code elapsed}. */
    default void gatewayCalled(ChargeResult result, Duration elapsed) {
    }

    /** A store operation failed with {@code error}; its {@code kind} says how. */
    default void storeFailed(String operation, IdempotencyStoreUnavailable error) {
    }


    /** One store operation finished, {@code ok} or not, after {@code elapsed}. */
    default void storeCalled(String operation, boolean ok, Duration elapsed) {
    }
}
