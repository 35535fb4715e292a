package dev.payhook.http;

import static dev.payhook.http.WebhookEndpointTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.RateDecision;
import dev.payhook.domain.RateLimit;
import io.github.bucket4j.TimeMeter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-instance rate limit on {@code POST /webhooks}, over real HTTP. */
class RateLimitTest {

    private static RunningServer limitedTo(RateLimit limit) {
        return new RunningServer(HttpSettings.onPort(0),
                RunningServer.Edge.OPEN.withRateLimiter(new TokenBucketRateLimiter(limit)));
    }

    private static String event(int n) {
        return "{\"event_id\":\"evt_rate_" + n + "\",\"amount\":" + (100 + n) + "}";
    }

    @Test
    void over_the_rate_the_answer_is_429_with_retry_after_and_nothing_is_processed() {
        try (RunningServer server = limitedTo(new RateLimit(3, Duration.ofHours(1)))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, server.postJson(event(i)).statusCode());
            }

            HttpResponse<String> limited = server.postJson(event(3));

            assertProblem(limited, 429, "rate-limited");
            long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 1100 && retryAfter <= 1200, "Retry-After " + retryAfter);
            assertEquals(3, server.gateway.calls());
            assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"rate_limited\""));
        }
    }

    @Test
    void requests_under_the_rate_are_unaffected() {
        try (RunningServer server = limitedTo(new RateLimit(50, Duration.ofSeconds(1)))) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = server.postJson(event(i));
                assertEquals(200, response.statusCode(), response.body());
            }
            assertEquals(0.0, server.metric("webhook_rejected_requests_total"));
        }
    }

    @Test
    void health_and_metrics_are_never_limited() {
        try (RunningServer server = limitedTo(new RateLimit(1, Duration.ofHours(1)))) {
            server.postJson(event(0));
            assertEquals(429, server.postJson(event(1)).statusCode());

            for (int i = 0; i < 5; i++) {
                assertEquals(200, server.get("/health/live").statusCode());
                assertEquals(200, server.get("/health/ready").statusCode());
                assertEquals(200, server.get("/metrics").statusCode());
            }
        }
    }

    @Test
    void of_many_concurrent_requests_exactly_the_limit_gets_through() throws Exception {
        int limit = 10;
        int requests = 40;
        try (RunningServer server = limitedTo(new RateLimit(limit, Duration.ofHours(1)))) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < requests; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> {
                        go.await();
                        return server.postJson(event(n));
                    }));
                }
                go.countDown();
                int passed = 0;
                for (Future<HttpResponse<String>> future : futures) {
                    HttpResponse<String> response = future.get();
                    if (response.statusCode() == 200) {
                        passed++;
                    } else {
                        assertEquals(429, response.statusCode(), response.body());
                    }
                }
                assertEquals(limit, passed);
            }
            assertEquals(limit, server.gateway.calls());
        }
    }

    @Test
    void a_refused_request_is_refused_before_its_body_is_looked_at() {
        try (RunningServer server = limitedTo(new RateLimit(1, Duration.ofHours(1)))) {
            server.postJson(event(0));
            int storeCalls = server.store.calls.get();

            assertProblem(server.post("not even json", "text/plain"), 429, "rate-limited");
            assertEquals(storeCalls, server.store.calls.get());
            assertEquals(0.0, server.metric("webhook_rejected_requests_total", "reason=\"media_type\""));
        }
    }

    @Test
    void the_bucket_refills_evenly_over_the_period() {
        AtomicLong nanos = new AtomicLong();
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos.get();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        var limiter = new TokenBucketRateLimiter(new RateLimit(2, Duration.ofSeconds(10)), time);

        assertEquals(RateDecision.ALLOWED, limiter.tryAcquire());
        assertEquals(RateDecision.ALLOWED, limiter.tryAcquire());
        assertEquals(new RateDecision.Limited(Duration.ofSeconds(5)), limiter.tryAcquire());
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertEquals(RateDecision.ALLOWED, limiter.tryAcquire());
        assertEquals(new RateDecision.Limited(Duration.ofSeconds(5)), limiter.tryAcquire());
    }
}
