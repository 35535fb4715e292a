package dev.payhook.http;

import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.IdempotencyPolicy;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.ObservedIdempotencyStore;
import dev.payhook.domain.PendingCompletions;
import dev.payhook.domain.RateLimiter;
import dev.payhook.domain.WebhookProcessor;
import dev.payhook.domain.fixtures.MutableClock;
import dev.payhook.domain.fixtures.RecordingPaymentGateway;
import dev.payhook.domain.fixtures.SwitchableStore;
import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import dev.payhook.http.metrics.MicrometerProcessingObserver;
import dev.payhook.http.metrics.PrometheusMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP adapter on a real port, wired the way the app wires it, over the in-memory store and a
 * recording gateway; requests go over real HTTP.
 */
final class RunningServer implements AutoCloseable {

    final MutableClock clock = MutableClock.startingAtAFixedInstant();
    final InMemoryIdempotencyStore memory = new InMemoryIdempotencyStore(clock);
    final SwitchableStore store = new SwitchableStore(memory);
    final RecordingPaymentGateway gateway = new RecordingPaymentGateway();
    final PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry("test");
    private final WebhookServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RunningServer() {
        this(HttpSettings.onPort(0));
    }

    RunningServer(HttpSettings settings) {
        this(settings, Edge.OPEN);
    }

    /** Only webhook secrets: signed requests are required, checked against this server's clock. */
    static RunningServer signedWith(String... secrets) {
        return new RunningServer(HttpSettings.onPort(0), Edge.OPEN.withSecrets(List.of(secrets)));
    }

    RunningServer(HttpSettings settings, Edge edge) {
        var observer = new MicrometerProcessingObserver(registry, "memory", "recording");
        IdempotencyStore observed = new ObservedIdempotencyStore(store, observer);
        var processor = new WebhookProcessor(observed, gateway, IdempotencyPolicy.DEFAULT,
                ClaimToken.random(), observer, new PendingCompletions(observed, observer, clock,
                PendingCompletions.DEFAULT_CAPACITY), clock);
        server = new WebhookServer(settings, edge.toSecurity(clock), processor, observed, gateway, registry).start();
    }

    /** What a test sets of the edge: secrets (none: unsigned), the rate limiter, the server limits. */
    record Edge(List<String> secrets, RateLimiter rateLimiter, FailedSignatureLimiter failedSignatures,
                ServerLimits limits) {

        static final Edge OPEN = new Edge(List.of(), RateLimiter.UNLIMITED,
                new FailedSignatureLimiter(FailedSignatureLimiter.DEFAULT_LIMIT), ServerLimits.DEFAULTS);

        Edge withSecrets(List<String> given) {
            return new Edge(given, rateLimiter, failedSignatures, limits);
        }

        Edge withRateLimiter(RateLimiter given) {
            return new Edge(secrets, given, failedSignatures, limits);
        }

        Edge withFailedSignatures(FailedSignatureLimiter given) {
            return new Edge(secrets, rateLimiter, given, limits);
        }

        Edge withLimits(ServerLimits given) {
            return new Edge(secrets, rateLimiter, failedSignatures, given);
        }

        EdgeSecurity toSecurity(Clock clock) {
            Optional<SignatureVerifier> verifier = secrets.isEmpty() ? Optional.empty()
                    : Optional.of(new SignatureVerifier(new SignatureSettings(
                            secrets.stream().map(WebhookSecret::parse).toList(), SignatureSettings.DEFAULT_TOLERANCE),
                            clock));
            return new EdgeSecurity(verifier, rateLimiter, failedSignatures, limits);
        }
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> postJson(String body) {
        return post(body, "application/json");
    }

    HttpResponse<String> post(String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/webhooks"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sums the samples of one metric whose label set contains every given {@code name="value"} pair. */
    double metric(String name, String... labels) {
        double sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public void close() {
        client.close();
        server.close();
        registry.close();
    }
}
