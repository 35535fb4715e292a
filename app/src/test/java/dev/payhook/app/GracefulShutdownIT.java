package dev.payhook.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under steady load, against the packaged jar, as a load balancer sees it: readiness turns 503 at
 * once, nothing is refused while the drain delay lasts, and no request in flight is cut when it stops.
 */
class GracefulShutdownIT {

    private static final Duration DRAIN_DELAY = Duration.ofSeconds(3);

    /** One request and what became of it. */
    private record Delivery(long sentAtNanos, int status, String failure) {
    }

    @Test
    void on_sigterm_readiness_turns_503_first_nothing_is_refused_during_the_drain_delay_and_nothing_in_flight_is_cut()
            throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("DRAIN_DELAY", "3s", "SIMULATED_LATENCY", "300ms"));
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger sequence = new AtomicInteger();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                senders.add(Thread.ofVirtual().start(() -> keepSending(service, sequence, deliveries)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() >= 8);

            long terminated = System.nanoTime();
            ProcessHandle.of(service.pid()).orElseThrow().destroy();
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> readiness(client, service) == 503);
            long notReadyAfterMillis = Duration.ofNanos(System.nanoTime() - terminated).toMillis();
            int exit = service.waitForExit(Duration.ofSeconds(60));
            for (Thread sender : senders) {
                sender.join(Duration.ofSeconds(30));
            }

            assertTrue(notReadyAfterMillis < 2_000, "readiness turned 503 after " + notReadyAfterMillis + " ms");
            long drainEnds = terminated + DRAIN_DELAY.toNanos();
            List<Delivery> duringDelay = deliveries.stream()
                    .filter(d -> d.sentAtNanos() > terminated && d.sentAtNanos() < drainEnds - 500_000_000L).toList();
            assertTrue(duringDelay.size() >= 4, "requests sent during the drain delay: " + duringDelay.size());
            assertTrue(duringDelay.stream().allMatch(d -> d.status() == 200), "refused during the delay: " + duringDelay);
            // Sent before the service stopped taking connections: answered, including those still in flight
            // when it stopped. Later ones may be refused or closed unread: the load balancer stopped sending.
            List<Delivery> beforeStop = deliveries.stream().filter(d -> d.sentAtNanos() < drainEnds).toList();
            assertTrue(beforeStop.stream().allMatch(d -> d.status() == 200), "not answered: " + beforeStop);
            assertTrue(deliveries.stream().noneMatch(d -> d.status() >= 500), deliveries.toString());
            assertEquals(143, exit, "SIGTERM ends the process normally");
            assertTrue(service.output().contains("still serving for 3000 ms"), service.output());
        }
    }

    /**
     * Sends one fresh event after another, each on a connection of its own (as requests spread by a load
     * balancer arrive), until the service is gone.
     */
    private static void keepSending(ServiceProcess service, AtomicInteger sequence, List<Delivery> deliveries) {
        while (true) {
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(service.uri("/webhooks"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"event_id\":\"evt_drain_" + sequence.incrementAndGet() + "\",\"amount\":100}"))
                    .build();
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                deliveries.add(new Delivery(sent, response.statusCode(), null));
            } catch (ConnectException refused) {
                deliveries.add(new Delivery(sent, 0, ConnectException.class.getSimpleName()));
                return;
            } catch (IOException broken) {
                deliveries.add(new Delivery(sent, 0, broken.getClass().getSimpleName() + ": " + broken.getMessage()));
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int readiness(HttpClient client, ServiceProcess service) {
        try {
            return client.send(HttpRequest.newBuilder(service.uri("/health/ready")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
