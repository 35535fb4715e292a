package dev.payhook.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Meters of the HTTP layer: requests by route template, and requests refused before processing. */
public final class HttpMetrics {

    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code route} is the matched route template, never the raw path, so label values stay few. */
    public void request(String method, String route, int status, Duration elapsed) {
        Timer.builder("http.server.requests")
                .description("HTTP requests served, by method, route template and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .serviceLevelObjectives(Buckets.LATENCY)
                .register(registry)
                .record(elapsed);
    }

    /** {@code reason}: malformed, too_large, media_type, signature, rate_limited. */
    public void rejected(String reason) {
        Counter.builder("webhook.rejected.requests")
                .description("Requests refused before reaching the use case, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
