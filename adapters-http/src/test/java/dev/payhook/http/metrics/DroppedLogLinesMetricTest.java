package dev.payhook.http.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class DroppedLogLinesMetricTest {

    @Test
    void each_level_is_a_counter_series_that_reads_its_count_at_every_scrape() {
        AtomicLong info = new AtomicLong();
        Map<String, LongSupplier> dropped = new LinkedHashMap<>();
        dropped.put("info", info::get);
        dropped.put("warn", () -> 0);
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry("test");
        try {
            PrometheusMetrics.bindDroppedLogLines(registry, dropped);
            String before = registry.scrape();
            info.set(3);
            String after = registry.scrape();

            assertTrue(before.contains("# TYPE log_lines_dropped_total counter"), before);
            assertTrue(before.contains("# HELP log_lines_dropped_total Log lines not written"), before);
            assertTrue(before.contains("log_lines_dropped_total{level=\"info\"} 0.0"), before);
            assertTrue(after.contains("log_lines_dropped_total{level=\"info\"} 3.0"), after);
            assertTrue(after.contains("log_lines_dropped_total{level=\"warn\"} 0.0"), after);
        } finally {
            registry.close();
        }
    }
}
