package dev.payhook.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/** Meters of the HTTP layer: requests by route template, and requests refused before processing. */
public final class HttpMetrics {

    /** Every {@code reason} of {@code webhook_rejected_requests_total}, each exported from start-up on. */
    public static final List<String> REJECTION_REASONS =
            List.of("malformed", "too_large", "media_type", "timeout", "signature", "bad_signature_flood",
                    "rate_limited");

    /** Every {@code reason} of {@code webhook_signature_failures_total}, each exported from start-up on. */
    public static final List<String> SIGNATURE_FAILURE_REASONS =
            List.of("missing_headers", "bad_timestamp", "expired", "future_timestamp", "no_matching_signature");

    private final MeterRegistry registry;
    private final MeterCache<Timer> requestTimers = new MeterCache<>(this::requestTimer);
    private final MeterCache<Counter> rejectedCounters = new MeterCache<>(this::newRejectedCounter);

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        // A series that appears only with its first increment hides that first increment from rate().
        REJECTION_REASONS.forEach(this::rejectedCounter);
        SIGNATURE_FAILURE_REASONS.forEach(this::signatureCounter);
    }

    /** {@code route} is the matched route template, never the raw path, so label values stay few. */
    public void request(String method, String route, int status, Duration elapsed) {
        requestTimers.get(method + ' ' + route + ' ' + status).record(elapsed);
    }

    /** {@code key}: method, route and status, separated by spaces (which none of them holds). */
    private Timer requestTimer(String key) {
        String[] parts = key.split(" ", 3);
        return Timer.builder("http.server.requests")
                .description("HTTP requests served, by method, route template and status")
                .tag("method", parts[0])
                .tag("route", parts[1])
                .tag("status", parts[2])
                .serviceLevelObjectives(Buckets.LATENCY)
                .register(registry);
    }

    /** {@code reason}: one of {@link #REJECTION_REASONS}. */
    public void rejected(String reason) {
        rejectedCounter(reason).increment();
    }

    private Counter rejectedCounter(String reason) {
        return rejectedCounters.get(reason);
    }

    private Counter newRejectedCounter(String reason) {
        return Counter.builder("webhook.rejected.requests")
                .description("Requests refused before reaching the use case, by reason")
                .baseUnit("requests")
                .tag("reason", reason)
                .register(registry);
    }

    /** Counted beside {@code rejected("signature")}; {@code reason}: one of {@link #SIGNATURE_FAILURE_REASONS}. */
    public void signatureRejected(String reason) {
        signatureCounter(reason).increment();
    }

    private Counter signatureCounter(String reason) {
        return Counter.builder("webhook.signature.failures")
                .description("Requests refused because their webhook signature failed, by why it failed")
                .tag("reason", reason)
                .register(registry);
    }
}
