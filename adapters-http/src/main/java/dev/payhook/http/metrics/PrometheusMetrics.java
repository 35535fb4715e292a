package dev.payhook.http.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.function.LongSupplier;

/** Creates the registry behind {@code GET /metrics}, with JVM, process and build-info meters bound. */
public final class PrometheusMetrics {

    /** The content type of the Prometheus text exposition format served at {@code /metrics}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusMetrics() {
    }

    public static PrometheusMeterRegistry newRegistry(String version) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Filters apply only to meters registered after them: install before binding anything.
        registry.config().meterFilter(new PrometheusConventions());
        new JvmMemoryMetrics().bindTo(registry);
        // The GC binder holds notification listeners; it lives as long as the registry.
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        bindProcessCpuTime(registry);
        Gauge.builder("webhook.build.info", () -> 1)
                .description("Build information of the running service; the value is always 1")
                .tag("version", version)
                .register(registry);
        return registry;
    }

    /**
     * {@code log_lines_dropped_total}: one series per level that the log queue may drop, each read from its
     * counter in {@code droppedByLevel}, so that lost log lines show on a dashboard and in alerts.
     */
    public static void bindDroppedLogLines(MeterRegistry registry, Map<String, ? extends LongSupplier> droppedByLevel) {
        droppedByLevel.forEach((level, dropped) -> FunctionCounter.builder("log.lines.dropped", dropped,
                        counter -> counter.getAsLong())
                .description("Log lines not written because the log queue was full; ERROR lines wait for room"
                        + " and are never dropped")
                .tag("level", level)
                .register(registry));
    }

    /** {@code process_cpu_seconds_total}, the name Prometheus client libraries use for process CPU time. */
    private static void bindProcessCpuTime(MeterRegistry registry) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the service's process")
                    .baseUnit("seconds")
                    .register(registry);
        }
    }
}
