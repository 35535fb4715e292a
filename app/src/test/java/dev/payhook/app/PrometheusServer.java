package dev.payhook.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A real Prometheus (the {@code prometheus} binary from the machine) on a free loopback port, with its own
 * throw-away data directory. It is stopped on {@link #close()} and, should the test JVM exit first, by a
 * shutdown hook.
 */
final class PrometheusServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path directory;
    private final Thread stopOnExit;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int port;

    private PrometheusServer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.stopOnExit = new Thread(process::destroyForcibly, "stop-prometheus");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts Prometheus on {@code config} (a prometheus.yml text) with the given files beside it, and waits
     * until it is ready.
     */
    static PrometheusServer start(String config, Map<String, Path> filesBesideConfig) {
        RequiredProgram prometheus = RequiredProgram.prometheus();
        int port = ServiceProcess.freePort();
        try {
            Path directory = Files.createTempDirectory("payhook-prometheus-");
            Files.writeString(directory.resolve("prometheus.yml"), config);
            for (var file : filesBesideConfig.entrySet()) {
                Files.copy(file.getValue(), directory.resolve(file.getKey()));
            }
            Process process = new ProcessBuilder(prometheus.path().toString(),
                    "--config.file=" + directory.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + directory.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("prometheus.log").toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(process, directory, port);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start prometheus", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log);
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            ServiceProcess.sleep(Duration.ofMillis(100));
        }
        String log = log();
        close();
        throw new AssertionError("prometheus was not ready within " + START_TIMEOUT + ":\n" + log);
    }

    /** The {@code data} of a successful API answer; fails on any other. */
    JsonNode api(String pathAndQuery) {
        HttpResponse<String> response = get("/api/v1/" + pathAndQuery);
        try {
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !answer.path("status").asText().equals("success")) {
                throw new AssertionError("prometheus refused " + pathAndQuery + ": " + response.body());
            }
            return answer.path("data");
        } catch (IOException e) {
            throw new AssertionError("prometheus answered " + pathAndQuery + " with no JSON: " + response.body(), e);
        }
    }

    /** The result vector of an instant query evaluated now. */
    JsonNode query(String promql) {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    /** An instant query's result as label value to sample value, keyed by {@code label}. */
    Map<String, Double> queryBy(String label, String promql) {
        Map<String, Double> values = new HashMap<>();
        for (JsonNode sample : query(promql)) {
            values.put(sample.path("metric").path(label).asText(), sample.path("value").path(1).asDouble());
        }
        return values;
    }

    /** The single value of an instant query that yields one sample. */
    double queryValue(String promql) {
        JsonNode result = query(promql);
        if (result.size() != 1) {
            throw new AssertionError(promql + " gave " + result.size() + " samples: " + result);
        }
        return result.path(0).path("value").path(1).asDouble();
    }

    /** Waits until the only scrape target's last scrape started after {@code instant}, and returns it. */
    JsonNode awaitScrapeAfter(Instant instant, Duration timeout) {
        return await("a scrape after " + instant, timeout, () -> {
            JsonNode targets = api("targets?state=active").path("activeTargets");
            if (targets.size() > 1) {
                throw new AssertionError("expected one scrape target, found " + targets);
            }
            // Just after start-up the target list can still be empty, and lastScrape is zero before the first.
            JsonNode target = targets.path(0);
            boolean scrapedAfter = target.has("lastScrape")
                    && Instant.parse(target.path("lastScrape").asText()).isAfter(instant);
            return scrapedAfter ? target : null;
        });
    }

    /** Polls {@code probe} until it returns something other than null. */
    <T> T await(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T found = probe.get();
            if (found != null) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("prometheus did not show " + what + " within " + timeout + ":\n" + log());
            }
            ServiceProcess.sleep(Duration.ofMillis(200));
        }
    }

    /** Polls {@code probe} on the data of {@code pathAndQuery} until it holds. */
    JsonNode awaitApi(String pathAndQuery, Duration timeout, Predicate<JsonNode> probe) {
        return await(pathAndQuery, timeout, () -> {
            JsonNode data = api(pathAndQuery);
            return probe.test(data) ? data : null;
        });
    }

    private HttpResponse<String> get(String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            return Files.readString(directory.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is shutting down and the hook runs anyway
        }
        deleteRecursively(directory);
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
