package dev.payhook.http.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Brings the few stock Micrometer meters that break Prometheus naming rules (as {@code promtool check
 * metrics} applies them) into line, so that the scrape lints clean.
 */
final class PrometheusConventions implements MeterFilter {

    /** Micrometer counts it in nanoseconds; {@link PrometheusMetrics} registers it in seconds instead. */
    private static final String NANOSECOND_CPU_TIME = "process.cpu.time";
    /** A gauge ending in {@code _count} reads as half of a histogram. */
    private static final String CPU_COUNT = "system.cpu.count";
    private static final String AVAILABLE_PROCESSORS = "system.available.processors";

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals(NANOSECOND_CPU_TIME) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        return id.getName().equals(CPU_COUNT) ? id.withName(AVAILABLE_PROCESSORS) : id;
    }
}
