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

    /** A claim replaced another whose lease had run out: its worker crashed or stalled mid-payment. */
    default void leaseTakenOver(EventId eventId) {
    }

    /** Our completion was refused because another worker had taken the event over; its record stands. */
    default void completionFenced(EventId eventId) {
    }

    /** The gateway answered {@code result} after {@code elapsed}. */
    default void gatewayCalled(ChargeResult result, Duration elapsed) {
    }

    /** One store operation finished, {@code ok} or not, after {@code elapsed}. */
    default void storeCalled(String operation, boolean ok, Duration elapsed) {
    }
}
