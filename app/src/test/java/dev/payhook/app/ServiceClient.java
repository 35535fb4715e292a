package dev.payhook.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** HTTP to a payhook (or Prometheus) published on a loopback port, e.g. by a container. */
final class ServiceClient implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    ServiceClient(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    HttpResponse<String> postJson(String body) {
        return send(HttpRequest.newBuilder(uri("/webhooks")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The status of {@code GET path}, or 0 while nothing answers. */
    int statusOf(String path) {
        try {
            return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notAnswering) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sums the samples of one metric whose label set contains every given {@code name="value"} pair. */
    double metric(String name, String... labels) {
        return MetricSamples.sum(get("/metrics").body(), name, labels);
    }

    /** Polls until {@code GET /health/ready} answers 200; {@code diagnostics} says why not, on failure. */
    void awaitReady(Duration timeout, Supplier<String> diagnostics) {
        await("ready on port " + port, timeout, () -> statusOf("/health/ready") == 200, diagnostics);
    }

    /** Polls {@code condition} every 100 ms until it holds or {@code timeout} has passed. */
    static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + timeout + ":\n" + diagnostics.get());
            }
            ServiceProcess.sleep(Duration.ofMillis(100));
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
