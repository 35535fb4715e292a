package dev.payhook.http.metrics;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.EventId;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentEvent;
import dev.payhook.domain.PendingCompletions;
import dev.payhook.domain.ProcessingObserver;
import dev.payhook.domain.StoredRecordUnreadable;
import dev.payhook.domain.WebhookOutcome;
import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/** Turns what the use case reports into the meters of DESIGN.md §7, and logs what operators must see. */
public final class MicrometerProcessingObserver implements ProcessingObserver {

    /** The outcome of a delivery the store could not serve, and of one it refused because it is full. */
    public static final String STORE_UNAVAILABLE = "store_unavailable";
    public static final String STORE_FULL = "store_full";
    /** The outcome of a delivery whose stored value could not be read. */
    public static final String UNREADABLE_RECORD = "unreadable_record";
    /** Every {@code outcome} label: those of {@link WebhookOutcome}, and the store failing to decide. */
    public static final List<String> OUTCOMES = List.of("processed", "already_processed", "declined", "in_progress",
            "payment_failed", "recently_failed", "payload_mismatch", "gateway_unavailable", "outcome_unknown",
            "not_payable", STORE_UNAVAILABLE, STORE_FULL, UNREADABLE_RECORD);
    /** Every {@code kind} label of store errors. */
    public static final List<String> STORE_ERROR_KINDS =
            Arrays.stream(IdempotencyStoreUnavailable.Kind.values()).map(IdempotencyStoreUnavailable.Kind::label).toList();
    /** Every {@code result} label of gateway calls, one per kind of {@link ChargeResult}. */
    public static final List<String> GATEWAY_RESULTS = List.of("charged", "declined", "failed", "unknown", "not_attempted");
    /** Every {@code result} label of reconciliations, one per kind of {@link LookupResult}. */
    public static final List<String> RECONCILIATION_RESULTS = List.of("charged", "declined", "not_found", "unknown");
    private static final Logger LOG = LoggerFactory.getLogger(MicrometerProcessingObserver.class);

    private final MeterRegistry registry;
    private final String store;
    private final String gateway;
    private final Counter takeovers;
    private final Counter fencingRejections;
    private final Counter lateWrites;
    private final Counter lostCompletions;
    private final DistributionSummary unknownAge;
    private final MeterCache<Counter> eventCounters = new MeterCache<>(this::newEventCounter);
    private final MeterCache<Timer> processingTimers = new MeterCache<>(this::processingTimer);
    private final MeterCache<Timer> gatewayTimers = new MeterCache<>(this::gatewayTimer);
    private final MeterCache<Timer> storeTimersOk = new MeterCache<>(operation -> storeTimer(operation, "ok"));
    private final MeterCache<Timer> storeTimersError = new MeterCache<>(operation -> storeTimer(operation, "error"));

    /**
     * @param store   the {@code store} label of store meters, e.g. {@code memory} or {@code redis}
     * @param gateway the {@code gateway} label of gateway meters, e.g. {@code simulated}
     */
    public MicrometerProcessingObserver(MeterRegistry registry, String store, String gateway) {
        this.registry = registry;
        this.store = store;
        this.gateway = gateway;
        this.takeovers = Counter.builder("idempotency.lease.takeovers")
                .description("Claims that replaced a claim whose lease had run out (a worker crashed or stalled)")
                .baseUnit("takeovers")
                .register(registry);
        this.fencingRejections = Counter.builder("idempotency.fencing.rejections")
                .description("Completions refused because another worker had taken the event over")
                .baseUnit("rejections")
                .register(registry);
        this.lateWrites = Counter.builder("idempotency.late.writes")
                .description("Payment records written to the idempotency store after the sender was answered")
                .baseUnit("writes")
                .register(registry);
        this.lostCompletions = Counter.builder("idempotency.lost.completions")
                .description("Payment records never written: the queue was full or the service stopped first")
                .baseUnit("completions")
                .register(registry);
        // Exported at zero from the start: rate() and the alerts built on it cannot see the increments that
        // create a series, so without this the first deliveries of an outcome or gateway result would be lost.
        OUTCOMES.forEach(this::eventCounter);
        GATEWAY_RESULTS.forEach(gatewayTimers::get);
        STORE_ERROR_KINDS.forEach(this::storeErrorCounter);
        RECONCILIATION_RESULTS.forEach(this::reconciliationCounter);
        this.unknownAge = DistributionSummary.builder("payment.unknown.outcome.age")
                .description("How long a payment outcome had been unknown when the provider was asked about it")
                .baseUnit("seconds")
                .tag("gateway", gateway)
                .register(registry);
    }

    @Override
    public void processed(PaymentEvent event, WebhookOutcome outcome, Duration elapsed) {
        count(outcome.label(), elapsed);
    }

    @Override
    public void storeUnavailable(PaymentEvent event, IdempotencyStoreUnavailable error, Duration elapsed) {
        count(error.kind() == IdempotencyStoreUnavailable.Kind.FULL ? STORE_FULL : STORE_UNAVAILABLE, elapsed);
    }

    @Override
    public void recordUnreadable(PaymentEvent event, StoredRecordUnreadable error, Duration elapsed) {
        count(UNREADABLE_RECORD, elapsed);
        LOG.atError().addKeyValue("event_id", event.id().value()).addKeyValue("key", error.key())
                .log("the idempotency store holds a value for this event that is not a record payhook can read;"
                        + " nothing is paid for it until an operator removes or fixes the key: {}", error.getMessage());
    }

    @Override
    public void storeFailed(String operation, IdempotencyStoreUnavailable error) {
        storeErrorCounter(error.kind().label()).increment();
    }

    private Counter storeErrorCounter(String kind) {
        return Counter.builder("idempotency.store.errors")
                .description("Idempotency store operations that failed, by kind of failure")
                .baseUnit("errors")
                .tag("store", store)
                .tag("kind", kind)
                .register(registry);
    }

    private void count(String outcome, Duration elapsed) {
        eventCounter(outcome).increment();
        processingTimers.get(outcome).record(elapsed);
    }

    private Timer processingTimer(String outcome) {
        return Timer.builder("webhook.processing")
                .description("Time to decide one webhook delivery, store and gateway included, by outcome")
                .tag("outcome", outcome)
                .serviceLevelObjectives(Buckets.LATENCY)
                .register(registry);
    }

    private Counter eventCounter(String outcome) {
        return eventCounters.get(outcome);
    }

    private Counter newEventCounter(String outcome) {
        return Counter.builder("webhook.events")
                .description("Webhook deliveries decided, by outcome")
                .baseUnit("events")
                .tag("outcome", outcome)
                .register(registry);
    }

    @Override
    public void leaseTakenOver(EventId eventId) {
        takeovers.increment();
        LOG.atWarn().addKeyValue("event_id", eventId.value())
                .log("took over a claim whose lease had run out; its worker crashed or stalled");
    }

    @Override
    public void completionFenced(EventId eventId) {
        fencingRejections.increment();
        LOG.atWarn().addKeyValue("event_id", eventId.value())
                .log("completion refused: another worker took this event over after our lease ran out");
    }

    @Override
    public void completionPending(EventId eventId, IdempotencyRecord.Terminal record,
                                  IdempotencyStoreUnavailable cause) {
        withRecord(LOG.atError().addKeyValue("event_id", eventId.value()), record)
                .log("the payment gateway answered but the idempotency store could not record it ({}); the sender"
                        + " got the gateway's answer and the record is written once the store is back",
                        cause.getMessage());
    }

    @Override
    public void completionWrittenLate(EventId eventId, Duration waited) {
        lateWrites.increment();
        LOG.atInfo().addKeyValue("event_id", eventId.value()).addKeyValue("waited_ms", waited.toMillis())
                .log("a payment record that had to wait was written to the idempotency store");
    }

    @Override
    public void completionLost(EventId eventId, IdempotencyRecord.Terminal record, String why) {
        lostCompletions.increment();
        withRecord(LOG.atError().addKeyValue("event_id", eventId.value()), record)
                .log("a payment record will not be written: {}; a redelivery after the claim's lease runs out is"
                        + " charged again under the same idempotency key", why);
    }

    @Override
    public void claimLeftToExpire(EventId eventId, IdempotencyStoreUnavailable cause) {
        LOG.atWarn().addKeyValue("event_id", eventId.value())
                .log("could not release or settle a claim ({}); it runs out with its lease, and the next delivery"
                        + " after that charges under the same idempotency key", cause.getMessage());
    }

    /** The result a record holds, as log fields: what happened and the provider's reference to it. */
    private static LoggingEventBuilder withRecord(LoggingEventBuilder line, IdempotencyRecord.Terminal record) {
        return switch (record) {
            case IdempotencyRecord.Succeeded succeeded -> line.addKeyValue("outcome", "charged")
                    .addKeyValue("transaction_id", succeeded.transactionId().value());
            case IdempotencyRecord.Declined declined -> line.addKeyValue("outcome", "declined")
                    .addKeyValue("reason", declined.reason());
            case IdempotencyRecord.Failed failed -> line.addKeyValue("outcome", "failed")
                    .addKeyValue("reason", failed.reason());
        };
    }

    /** Publishes how many records the in-memory store holds, as {@code idempotency_store_records}. */
    public void watch(InMemoryIdempotencyStore memory) {
        Gauge.builder("idempotency.store.records", memory, InMemoryIdempotencyStore::size)
                .description("Records the in-memory idempotency store holds; at its maximum new events are refused")
                .baseUnit("records")
                .tag("store", store)
                .register(registry);
    }

    /** Publishes how many payment records wait to be written, as {@code idempotency_pending_completions}. */
    public void watch(PendingCompletions pending) {
        Gauge.builder("idempotency.pending.completions", pending, PendingCompletions::size)
                .description("Payment results answered to senders but not yet written to the idempotency store")
                .baseUnit("completions")
                .register(registry);
    }

    @Override
    public void gatewayCalled(ChargeResult result, Duration elapsed) {
        gatewayTimers.get(result.label()).record(elapsed);
        switch (result) {
            case ChargeResult.Failed failed -> LOG.atError().addKeyValue("gateway", gateway)
                    .log("payment gateway refused the request in a way retries will not fix: {}", failed.reason());
            case ChargeResult.Unknown unknown -> LOG.atWarn().addKeyValue("gateway", gateway)
                    .addKeyValue("reason", unknown.reason())
                    .log("payment outcome unknown; the provider is asked before any new charge: {}", unknown.reason());
            default -> {
            }
        }
    }

    @Override
    public void reconciled(EventId eventId, LookupResult result, Duration unknownFor) {
        reconciliationCounter(result.label()).increment();
        unknownAge.record(unknownFor.toMillis() / 1000.0);
        LOG.atInfo().addKeyValue("event_id", eventId.value()).addKeyValue("result", result.label())
                .addKeyValue("unknown_for_s", unknownFor.toSeconds())
                .log("asked the provider about an unknown payment outcome: {}", result.label());
    }

    private Counter reconciliationCounter(String result) {
        return Counter.builder("payment.reconciliations")
                .description("Unknown payment outcomes settled by asking the provider, by what it said")
                .baseUnit("reconciliations")
                .tag("gateway", gateway)
                .tag("result", result)
                .register(registry);
    }

    private Timer gatewayTimer(String result) {
        return Timer.builder("payment.gateway")
                .description("Payment gateway calls, by gateway and result")
                .tag("gateway", gateway)
                .tag("result", result)
                .serviceLevelObjectives(Buckets.LATENCY)
                .register(registry);
    }

    @Override
    public void storeCalled(String operation, boolean ok, Duration elapsed) {
        (ok ? storeTimersOk : storeTimersError).get(operation).record(elapsed);
    }

    private Timer storeTimer(String operation, String result) {
        return Timer.builder("idempotency.store")
                .description("Idempotency store operations, by store, operation and result")
                .tag("store", store)
                .tag("operation", operation)
                .tag("result", result)
                .serviceLevelObjectives(Buckets.LATENCY)
                .register(registry);
    }
}
