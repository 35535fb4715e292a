package dev.payhook.app;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Unsigned requests sent as fast as a few threads can, as an attacker who can reach the port would. */
final class Flood {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private Flood() {
    }

    static Flood of(ServiceProcess target, int threads) {
        Flood flood = new Flood();
        HttpRequest request = HttpRequest.newBuilder(target.uri("/webhooks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"evt_flood\",\"amount\":1}"))
                .build();
        for (int i = 0; i < threads; i++) {
            flood.threads.add(Thread.ofVirtual().start(() -> flood.send(request)));
        }
        return flood;
    }

    private void send(HttpRequest request) {
        while (running) {
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
                sent.incrementAndGet();
            } catch (IOException refusedUnderLoad) {
                // an attacker does not care; keep going
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    int sent() {
        return sent.get();
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(10));
        }
        client.close();
    }
}
