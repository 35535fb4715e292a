package dev.payhook.http.metrics;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.EventId;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.PaymentEvent;
import dev.payhook.domain.ProcessingObserver;
import dev.payhook.domain.WebhookOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns what the use case reports into the meters of DESIGN.md §7, and logs what operators must see. */
public final class MicrometerProcessingObserver implements ProcessingObserver {

    static final String STORE_UNAVAILABLE = "store_unavailable";
    /** Every {@code outcome} label: those of {@link WebhookOutcome}, and the store being unavailable. */
    public static final List<String> OUTCOMES = List.of("processed", "already_processed", "declined", "in_progress",
            "payment_failed", "recently_failed", "payload_mismatch", "gateway_unavailable", STORE_UNAVAILABLE);
    /** Every {@code result} label of gateway calls, one per kind of {@link ChargeResult}. */
    public static final List<String> GATEWAY_RESULTS = List.of("charged", "declined", "failed", "error", "not_attempted");
    private static final Logger LOG = LoggerFactory.getLogger(MicrometerProcessingObserver.class);

    private final MeterRegistry registry;
    private final String store;
    private final String gateway;
    private final Counter takeovers;
    private final Counter fencingRejections;

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
        // Exported at zero from the start: rate() and the alerts built on it cannot see the increments that
        // create a series, so without this the first deliveries of an outcome or gateway result would be lost.
        OUTCOMES.forEach(this::eventCounter);
        GATEWAY_RESULTS.forEach(this::gatewayTimer);
    }

    @Override
    public void processed(PaymentEvent event, WebhookOutcome outcome, Duration elapsed) {
        count(outcome.label(), elapsed);
    }

    @Override
    public void storeUnavailable(PaymentEvent event, IdempotencyStoreUnavailable error, Duration elapsed) {
        count(STORE_UNAVAILABLE, elapsed);
    }

    private void count(String outcome, Duration elapsed) {
        eventCounter(outcome).increment();
        Timer.builder("webhook.processing")
                .description("Time to decide one webhook delivery, store and gateway included, by outcome")
                .tag("outcome", outcome)
                .serviceLevelObjectives(Buckets.LATENCY)
                .register(registry)
                .record(elapsed);
    }

    private Counter eventCounter(String outcome) {
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
    public void gatewayCalled(ChargeResult result, Duration elapsed) {
        gatewayTimer(result.label()).record(elapsed);
        if (result instanceof ChargeResult.Failed failed && !failed.retryable()) {
            LOG.atError().addKeyValue("gateway", gateway)
                    .log("payment gateway refused the request in a way retries will not fix: {}", failed.reason());
        }
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
        Timer.builder("idempotency.store")
                .description("Idempotency store operations, by store, operation and result")
                .tag("store", store)
                .tag("operation", operation)
                .tag("result", ok ? "ok" : "error")
                .serviceLevelObjectives(Buckets.LATENCY)
                .register(registry)
                .record(elapsed);
    }
}
