package dev.payhook.http.metrics;

import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.StoreHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the store about itself now and then, so that what puts payments at risk (an eviction policy that
 * may drop records) is logged and exported even when nobody polls readiness. Each warning is logged when
 * it first appears, not at every check.
 */
public final class StoreHealthWatch {

    private static final Logger LOG = LoggerFactory.getLogger(StoreHealthWatch.class);

    private final IdempotencyStore store;
    private final AtomicInteger mayEvict = new AtomicInteger();
    private volatile List<String> lastWarnings = List.of();

    public StoreHealthWatch(IdempotencyStore store, MeterRegistry registry, String storeLabel) {
        this.store = store;
        Gauge.builder("idempotency.store.may.evict", mayEvict, AtomicInteger::get)
                .description("1 when the idempotency store may evict records that still count (a redelivery of an"
                        + " evicted event is charged again), else 0")
                .tag("store", storeLabel)
                .register(registry);
    }

    /** Checks once; a store that does not answer leaves the last known state (readiness reports the outage). */
    public void refresh() {
        try {
            apply(store.check());
        } catch (IdempotencyStoreUnavailable e) {
            LOG.atDebug().addKeyValue("kind", e.kind().label()).log("store health check failed: {}", e.getMessage());
        }
    }

    /** At start-up: says what the store is, or that it cannot be asked yet. */
    public void reportAtStart() {
        try {
            StoreHealth health = store.check();
            LOG.atInfo().addKeyValue("store", health.details()).log("idempotency store answers: {}", health.details());
            apply(health);
        } catch (IdempotencyStoreUnavailable e) {
            LOG.atWarn().addKeyValue("kind", e.kind().label())
                    .log("the idempotency store does not answer at start-up ({}); deliveries get 503 until it does,"
                            + " and readiness reports it", e.getMessage());
        }
    }

    private void apply(StoreHealth health) {
        mayEvict.set(health.mayEvict() ? 1 : 0);
        for (String warning : health.warnings()) {
            if (!lastWarnings.contains(warning)) {
                LOG.atWarn().addKeyValue("store", health.details()).log("{}", warning);
            }
        }
        lastWarnings = health.warnings();
    }
}
