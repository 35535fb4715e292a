package dev.payhook.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code app/target/payhook.jar}) running as its own process, as an operator runs it,
 * with only the given environment. Output goes to a file that tests can read.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path output;
    final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** Starts the jar and waits until it is ready. */
    static ServiceProcess start(Map<String, String> environment) {
        return start(environment, List.of());
    }

    /** Starts the jar with JVM options (as JAVA_OPTS does in run.sh) and waits until it is ready. */
    static ServiceProcess start(Map<String, String> environment, List<String> jvmOptions) {
        int port = freePort();
        Map<String, String> env = new HashMap<>(environment);
        env.put("PORT", Integer.toString(port));
        // Tests stop services by SIGTERM; without this each stop would first keep serving for the 5 s drain.
        // A test of the drain sets its own.
        env.putIfAbsent("DRAIN_DELAY", "0s");
        ServiceProcess service = launch(env, jvmOptions, port);
        service.awaitReady();
        return service;
    }

    /** Runs the jar with {@code environment} and waits for it to exit by itself; returns the process. */
    static ServiceProcess runToExit(Map<String, String> environment) throws InterruptedException {
        ServiceProcess service = launch(environment, List.of(), 0);
        if (!service.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            service.close();
            throw new AssertionError("the service did not exit; output:\n" + service.output());
        }
        return service;
    }

    private static ServiceProcess launch(Map<String, String> environment, List<String> jvmOptions, int port) {
        String jar = System.getProperty("payhook.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("payhook.jar not found (" + jar + "); run through Maven: ./mvnw verify");
        }
        try {
            Path output = Files.createTempFile("payhook-", ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            // Only what the test says: nothing from the developer's shell leaks into the service.
            String path = builder.environment().get("PATH");
            builder.environment().clear();
            builder.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
            builder.environment().putAll(environment);
            return new ServiceProcess(builder.start(), output, port);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the service", e);
        }
    }

    /** A port in 12000–22767 that is free now, below the kernel's ephemeral range. */
    static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(12_000, 22_768);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port found in 12000-22767");
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (get("/health/live").statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            sleep(Duration.ofMillis(100));
        }
        close();
        throw new AssertionError("the service did not start within " + START_TIMEOUT + ":\n" + output());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> postJson(String body) {
        return send(HttpRequest.newBuilder(uri("/webhooks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Sends without waiting, for a test that acts while the request is in flight. */
    CompletableFuture<HttpResponse<String>> postJsonAsync(String body) {
        return client.sendAsync(HttpRequest.newBuilder(uri("/webhooks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
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
        return MetricSamples.sum(get("/metrics").body(), name, labels);
    }

    /** Sends SIGTERM, as an orchestrator does, and waits for the process to exit. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Kills the process as a crash would (SIGKILL): nothing runs on the way out. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the service did not die of SIGKILL");
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service did not exit within " + timeout + "\n" + output());
        }
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
