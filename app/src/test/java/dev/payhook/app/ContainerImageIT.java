package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * payhook's container image, built by {@code scripts/image.sh}, run the way docs/deployment.md says: beside
 * Redis on a podman network, read-only root filesystem, published on 127.0.0.1 only.
 */
class ContainerImageIT {

    /** The grace period of the compose file and the Kubernetes Deployment. */
    private static final Duration GRACE = Duration.ofSeconds(45);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String NETWORK = "payhook-it-" + RUN;
    private static final String REDIS = "payhook-it-redis-" + RUN;
    private static final String SERVICE = "payhook-it-" + RUN + "-1";
    private static final List<String> containers = new ArrayList<>();

    private static int redisPort;
    private static ServiceClient service;

    @BeforeAll
    static void startRedisAndTheService() {
        ContainerImages.build();
        Podman.must("network", "create", NETWORK);
        redisPort = ServiceProcess.freePort();
        start(REDIS, "-p", "127.0.0.1:" + redisPort + ":6379", ContainerImages.REDIS);
        // -Xshare:on: the JVM refuses to start unless it can map the class-data archive made at build time.
        service = startService(SERVICE,
                "JAVA_OPTS=-Xshare:on -Xlog:class+load=info:file=/tmp/class-load.log");
    }

    @AfterAll
    static void removeEverything() {
        if (service != null) {
            service.close();
        }
        for (String container : containers) {
            Podman.run("rm", "--force", "--time", "0", container);
        }
        Podman.run("network", "rm", "--force", NETWORK);
    }

    @Test
    void the_image_runs_the_service_as_an_unprivileged_user_on_port_8080_with_a_health_check() throws IOException {
        JsonNode config = JSON.readTree(Podman.must("image", "inspect", ContainerImages.PAYHOOK)).path(0);

        assertEquals("10001:10001", config.path("Config").path("User").asText());
        assertTrue(config.path("Config").path("ExposedPorts").has("8080/tcp"), config::toString);
        assertTrue(strings(config.path("Config").path("Env")).contains("PORT=8080"), config::toString);
        assertEquals(List.of("CMD", "/opt/payhook/bin/healthcheck"),
                new ArrayList<>(strings(config.path("Healthcheck").path("Test"))));
        String status = Podman.must("exec", SERVICE, "cat", "/proc/1/status");
        assertTrue(status.contains("Name:\tjava"), status);
        assertTrue(status.contains("Uid:\t10001\t10001\t10001\t10001"), status);
        Podman.Result health = Podman.run("healthcheck", "run", SERVICE);
        assertEquals(0, health.exitCode(), health::describe);
    }

    @Test
    void the_service_maps_its_classes_from_the_archive_made_when_the_image_was_built() {
        String loaded = Podman.must("exec", SERVICE, "grep", "-m", "1", "dev.payhook.app.Main ", "/tmp/class-load.log");

        assertTrue(loaded.contains("source: shared objects file (top)"), loaded);
    }

    @Test
    void a_new_event_is_paid_and_a_redelivery_replays_the_transaction_kept_in_redis() {
        String id = "evt_" + UUID.randomUUID();

        HttpResponse<String> paid = service.postJson(event(id, 1200));
        HttpResponse<String> replay = service.postJson(event(id, 1200));

        assertEquals(200, paid.statusCode(), paid::body);
        assertEquals("{\"status\":\"success\",\"transaction_id\":\"txn_1200\"}", paid.body());
        assertEquals(200, replay.statusCode(), replay::body);
        assertEquals("{\"status\":\"already_processed\",\"event_id\":\"" + id + "\",\"transaction_id\":\"txn_1200\"}",
                replay.body());
        assertEquals(Optional.of("true"), replay.headers().firstValue("Idempotent-Replayed"));
        try (Jedis redis = redis()) {
            assertTrue(redis.exists("webhook:" + id), "no record in the Redis container");
        }
    }

    @Test
    void the_same_event_with_another_amount_is_refused_and_the_original_still_replays() {
        String id = "evt_" + UUID.randomUUID();
        assertEquals(200, service.postJson(event(id, 700)).statusCode());

        HttpResponse<String> mismatch = service.postJson(event(id, 701));

        assertEquals(422, mismatch.statusCode(), mismatch::body);
        assertTrue(mismatch.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(service.postJson(event(id, 700)).body().contains("\"transaction_id\":\"txn_700\""));
    }

    @Test
    void metrics_count_each_outcome_once() {
        double processed = service.metric("webhook_events_total", "outcome=\"processed\"");
        double replayed = service.metric("webhook_events_total", "outcome=\"already_processed\"");
        double mismatched = service.metric("webhook_events_total", "outcome=\"payload_mismatch\"");
        String id = "evt_" + UUID.randomUUID();

        service.postJson(event(id, 300));
        service.postJson(event(id, 300));
        service.postJson(event(id, 301));

        assertEquals(processed + 1, service.metric("webhook_events_total", "outcome=\"processed\""));
        assertEquals(replayed + 1, service.metric("webhook_events_total", "outcome=\"already_processed\""));
        assertEquals(mismatched + 1, service.metric("webhook_events_total", "outcome=\"payload_mismatch\""));
        assertEquals(1.0, service.metric("webhook_build_info"));
    }

    @Test
    void sigterm_lets_the_payment_in_flight_finish_and_the_container_exits_within_its_grace_period() throws Exception {
        String name = "payhook-it-" + RUN + "-drain";
        String id = "evt_" + UUID.randomUUID();
        // A payment that takes 5 s: SIGTERM surely arrives while it is being made.
        try (ServiceClient draining = startService(name, "SIMULATED_LATENCY=5s"); Jedis redis = redis()) {
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                    () -> draining.postJson(event(id, 4200)));
            ServiceClient.await("claimed in Redis", Duration.ofSeconds(20), () -> redis.exists("webhook:" + id),
                    () -> logs(name));
            assertFalse(inFlight.isDone(), "the payment finished before SIGTERM was sent");

            long started = System.nanoTime();
            Podman.must("stop", "--time", Long.toString(GRACE.toSeconds()), name);
            Duration stopping = Duration.ofNanos(System.nanoTime() - started);

            HttpResponse<String> paid = inFlight.get(GRACE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, paid.statusCode(), paid::body);
            assertEquals("{\"status\":\"success\",\"transaction_id\":\"txn_4200\"}", paid.body());
            String exit = Podman.must("inspect", "--format", "{{.State.ExitCode}}", name);
            assertTrue(Set.of("0", "143").contains(exit), "exit code " + exit + " (137 means killed):\n" + logs(name));
            assertTrue(stopping.compareTo(GRACE) < 0, "stopping took " + stopping);
        }
        HttpResponse<String> replay = service.postJson(event(id, 4200));
        assertEquals("{\"status\":\"already_processed\",\"event_id\":\"" + id + "\",\"transaction_id\":\"txn_4200\"}",
                replay.body(), "the payment made during shutdown was not recorded");
    }

    /** Starts payhook's image on the test network, published on a free loopback port, and waits until ready. */
    private static ServiceClient startService(String name, String... environment) {
        int port = ServiceProcess.freePort();
        List<String> options = new ArrayList<>(List.of("-p", "127.0.0.1:" + port + ":8080",
                "--read-only", "--tmpfs", "/tmp", "-e", "REDIS_URL=redis://" + REDIS + ":6379"));
        for (String variable : environment) {
            options.addAll(List.of("-e", variable));
        }
        options.add(ContainerImages.PAYHOOK);
        start(name, options.toArray(String[]::new));
        ServiceClient client = new ServiceClient(port);
        client.awaitReady(START_TIMEOUT, () -> logs(name));
        return client;
    }

    private static void start(String name, String... options) {
        List<String> command = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", NETWORK));
        command.addAll(List.of(options));
        containers.add(name);
        Podman.must(command.toArray(String[]::new));
    }

    private static Jedis redis() {
        return new Jedis("127.0.0.1", redisPort);
    }

    private static String logs(String container) {
        Podman.Result logs = Podman.run("logs", container);
        return logs.stdout() + logs.stderr();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
