package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.redis.testing.RedisHarness;
import dev.payhook.redis.testing.RedisServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Exactly-once across processes: two instances of the packaged app on one Redis, deliveries spread over both. */
class MultiInstanceIT {

    private static final int EVENTS = 50;
    private static final int DELIVERIES_PER_EVENT = 200;
    private static final int IN_FLIGHT = 200;

    @Test
    void fifty_events_delivered_two_hundred_times_each_across_two_instances_are_charged_once_each() throws Exception {
        try (RedisServer redis = RedisHarness.standalone()) {
            Map<String, String> env = Map.of("REDIS_URL", redis.url(), "SIMULATED_LATENCY", "50ms");
            try (ServiceProcess a = ServiceProcess.start(env); ServiceProcess b = ServiceProcess.start(env)) {
                List<Runnable> deliveries = new ArrayList<>();
                Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
                List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
                String run = UUID.randomUUID().toString().substring(0, 8);
                for (int e = 0; e < EVENTS; e++) {
                    String id = "evt_" + run + "_" + e;
                    successes.put(id, new AtomicInteger());
                    for (int d = 0; d < DELIVERIES_PER_EVENT; d++) {
                        ServiceProcess target = d % 2 == 0 ? a : b;
                        deliveries.add(() -> classify(deliver(target, event(id, 100 + id.length())), id,
                                successes, unexpected));
                    }
                }
                Collections.shuffle(deliveries);
                Semaphore inFlight = new Semaphore(IN_FLIGHT);
                List<Future<?>> futures = new ArrayList<>();
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (Runnable delivery : deliveries) {
                        inFlight.acquire();
                        futures.add(pool.submit(() -> {
                            try {
                                delivery.run();
                            } finally {
                                inFlight.release();
                            }
                        }));
                    }
                    for (Future<?> future : futures) {
                        future.get();
                    }
                }

                assertTrue(unexpected.isEmpty(), () -> unexpected.size() + " unexpected answers, e.g. " + unexpected.getFirst());
                successes.forEach((id, count) -> assertEquals(1, count.get(), id + " answered success"));
                double charges = a.metric("payment_gateway_seconds_count") + b.metric("payment_gateway_seconds_count");
                assertEquals(EVENTS, charges, "gateway calls over both instances");
            }
        }
    }

    /**
     * Sends one delivery; a connection reset under this load is answered the way a sender answers it,
     * by delivering again (which is exactly what idempotency is for).
     */
    private static HttpResponse<String> deliver(ServiceProcess target, String body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return target.postJson(body);
            } catch (IllegalStateException transportError) {
                if (attempt == 3) {
                    throw transportError;
                }
            }
        }
    }

    private static void classify(HttpResponse<String> response, String id, Map<String, AtomicInteger> successes,
                                 List<String> unexpected) {
        String body = response.body();
        if (response.statusCode() == 200 && body.contains("\"status\":\"success\"")) {
            successes.get(id).incrementAndGet();
        } else if (!(response.statusCode() == 200 && body.contains("\"already_processed\""))
                && !(response.statusCode() == 409 && response.headers().firstValue("Retry-After").isPresent())) {
            unexpected.add(response.statusCode() + " " + body);
        }
    }
}
