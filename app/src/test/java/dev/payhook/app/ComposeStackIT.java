package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/compose/compose.yaml} brought up with podman-compose: two payhook instances, Redis and
 * Prometheus, with Redis and Prometheus built from Debian packages (Grafana, which Debian does not
 * package, is the one service left out).
 */
class ComposeStackIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The compose stack's Prometheus scrapes every 15 s; its first scrape of each target comes within that. */
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PROJECT = "payhook-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static Map<String, String> environment;
    private static ServiceClient first;
    private static ServiceClient second;
    private static ServiceClient prometheus;

    @BeforeAll
    static void upWithoutGrafana() {
        ContainerImages.build();
        int firstPort = ServiceProcess.freePort();
        int secondPort = ServiceProcess.freePort();
        int prometheusPort = ServiceProcess.freePort();
        environment = Map.of(
                "PAYHOOK_IMAGE", ContainerImages.PAYHOOK,
                "REDIS_IMAGE", ContainerImages.REDIS,
                "PROMETHEUS_IMAGE", ContainerImages.PROMETHEUS,
                "PAYHOOK_1_PORT", Integer.toString(firstPort),
                "PAYHOOK_2_PORT", Integer.toString(secondPort),
                "PROMETHEUS_PORT", Integer.toString(prometheusPort));
        first = new ServiceClient(firstPort);
        second = new ServiceClient(secondPort);
        prometheus = new ServiceClient(prometheusPort);
        compose("up", "-d", "redis", "payhook-1", "payhook-2", "prometheus");
        first.awaitReady(START_TIMEOUT, () -> logs("payhook-1"));
        second.awaitReady(START_TIMEOUT, () -> logs("payhook-2"));
    }

    @AfterAll
    static void down() {
        if (environment == null) {
            return;    // the images were not built, so nothing was started
        }
        try {
            compose("down", "-v");
        } finally {
            Podman.run("network", "rm", "--force", PROJECT + "_default");
            for (ServiceClient client : new ServiceClient[] {first, second, prometheus}) {
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    @Test
    void an_event_paid_through_one_instance_is_replayed_by_the_other() {
        String id = "evt_" + UUID.randomUUID();

        HttpResponse<String> paid = first.postJson(event(id, 2500));
        HttpResponse<String> replay = second.postJson(event(id, 2500));

        assertEquals("{\"status\":\"success\",\"transaction_id\":\"txn_2500\"}", paid.body());
        assertEquals("{\"status\":\"already_processed\",\"event_id\":\"" + id + "\",\"transaction_id\":\"txn_2500\"}",
                replay.body());
    }

    @Test
    void prometheus_scrapes_both_instances_and_loads_the_shipped_alerting_rules() {
        AtomicReference<JsonNode> up = new AtomicReference<>();
        ServiceClient.await("both instances scraped", SCRAPE_TIMEOUT, () -> {
            up.set(prometheusData("query?query=" + URLEncoder.encode("up{job=\"payhook\"} == 1", StandardCharsets.UTF_8)));
            return up.get().path("result").size() == 2;
        }, () -> "up: " + up.get() + "\n" + logs("prometheus"));

        Set<String> instances = new TreeSet<>();
        up.get().path("result").forEach(sample -> instances.add(sample.path("metric").path("instance").asText()));
        assertEquals(Set.of("payhook-1:8080", "payhook-2:8080"), instances);
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : prometheusData("rules").path("groups")) {
            group.path("rules").forEach(rule -> alerts.add(rule.path("name").asText()));
        }
        assertEquals(DeployFolder.alertNames(), alerts);
    }

    private static JsonNode prometheusData(String pathAndQuery) {
        HttpResponse<String> response = prometheus.get("/api/v1/" + pathAndQuery);
        try {
            JsonNode answer = JSON.readTree(response.body());
            assertEquals("success", answer.path("status").asText(), response.body());
            return answer.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException("prometheus answered " + response.body(), e);
        }
    }

    private static String compose(String... arguments) {
        String file = Path.of(System.getProperty("payhook.deploy"), "compose", "compose.yaml").toString();
        String[] command = new String[arguments.length + 4];
        command[0] = "-p";
        command[1] = PROJECT;
        command[2] = "-f";
        command[3] = file;
        System.arraycopy(arguments, 0, command, 4, arguments.length);
        return Podman.compose(environment, Duration.ofMinutes(3), command);
    }

    private static String logs(String service) {
        Podman.Result logs = Podman.run("logs", "--tail", "50", PROJECT + "_" + service + "_1");
        return logs.stdout() + logs.stderr();
    }
}
