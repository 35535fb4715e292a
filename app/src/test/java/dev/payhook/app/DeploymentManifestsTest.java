package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests ({@code deploy/kubernetes}) and the compose stack ({@code deploy/compose}) agree
 * with the service and its image: port, health routes, configuration variables, secrets, user, and a
 * shutdown long enough for the drain.
 */
class DeploymentManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DOCUMENTED_VARIABLE = Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_]*)` \\| `?([^`|]*?)`? \\|");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    /** Variables whose values are credentials: never written into a manifest. */
    private static final Set<String> SECRET_VARIABLES = Set.of("REDIS_URL", "REDIS_CLUSTER_NODES", "WEBHOOK_SECRETS",
            "STRIPE_API_KEY");
    /** For flushing pending work and the JVM's exit after requests in flight are done. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);
    /** For endpoints and load balancers to drop a pod once its readiness probe has failed. */
    private static final Duration PROPAGATION_MARGIN = Duration.ofSeconds(2);

    private static final Path DEPLOY = DeployFolder.prometheus().getParent().toAbsolutePath().normalize();
    private final Path kubernetes = DEPLOY.resolve("kubernetes");
    private final Path compose = DEPLOY.resolve("compose");

    @Test
    void every_kubernetes_file_holds_named_objects_and_the_kustomization_lists_them_all() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> listing = Files.list(kubernetes)) {
            listing.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".yaml")).forEach(files::add);
        }
        files.remove("kustomization.yaml");
        Set<String> listed = new TreeSet<>(texts(yaml(kubernetes.resolve("kustomization.yaml")).get(0).path("resources")));

        assertEquals(files, listed);
        for (String file : files) {
            for (JsonNode object : yaml(kubernetes.resolve(file))) {
                assertFalse(object.path("apiVersion").asText().isEmpty(), file);
                assertFalse(object.path("kind").asText().isEmpty(), file);
                assertEquals("payhook", object.path("metadata").path("name").asText(), file);
            }
        }
    }

    @Test
    void the_container_port_is_the_services_port_and_the_kubernetes_service_and_probes_use_it() {
        JsonNode container = container();
        JsonNode port = container.path("ports").path(0);

        assertEquals(1, container.path("ports").size());
        assertEquals(defaultOf("PORT"), port.path("containerPort").asText());
        assertEquals(imageInstruction("ENV PORT="), port.path("containerPort").asText());
        assertEquals(imageInstruction("EXPOSE "), port.path("containerPort").asText());
        String named = port.path("name").asText();
        env(container).computeIfPresent("PORT", (name, value) -> {
            assertEquals(port.path("containerPort").asText(), value.path("value").asText());
            return value;
        });
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals(named, container.path(probe).path("httpGet").path("port").asText(), probe);
        }
        assertEquals(named, object("Service").path("spec").path("ports").path(0).path("targetPort").asText());
    }

    @Test
    void liveness_and_startup_probe_health_live_and_readiness_probes_health_ready() {
        JsonNode container = container();

        assertEquals("/health/live", container.path("startupProbe").path("httpGet").path("path").asText());
        assertEquals("/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
    }

    @Test
    void readiness_notices_a_draining_pod_while_it_still_serves_during_DRAIN_DELAY() {
        JsonNode readiness = container().path("readinessProbe");
        Duration noticed = Duration.ofSeconds(readiness.path("periodSeconds").asLong(10)
                * readiness.path("failureThreshold").asLong(3) + readiness.path("timeoutSeconds").asLong(1));

        Duration drainDelay = setting(env(container()), "DRAIN_DELAY");
        assertTrue(noticed.plus(PROPAGATION_MARGIN).compareTo(drainDelay) <= 0,
                "readiness notices a drain after " + noticed + ", DRAIN_DELAY is " + drainDelay);
    }

    @Test
    void the_grace_period_covers_the_drain_delay_the_shutdown_timeout_and_the_exit() {
        JsonNode pod = object("Deployment").path("spec").path("template").path("spec");
        Map<String, JsonNode> env = env(container());
        Duration needed = preStopSleep(container()).plus(setting(env, "DRAIN_DELAY"))
                .plus(setting(env, "SHUTDOWN_TIMEOUT")).plus(EXIT_MARGIN);

        Duration grace = Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong(30));
        assertTrue(grace.compareTo(needed) >= 0, "grace period " + grace + ", needed " + needed);
    }

    @Test
    void the_pod_runs_as_the_images_user_unprivileged_on_a_read_only_root_filesystem_with_a_writable_tmp() {
        JsonNode pod = object("Deployment").path("spec").path("template").path("spec");
        JsonNode container = container();
        String[] imageUser = imageInstruction("USER ").split(":");

        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertEquals(imageUser[0], pod.path("securityContext").path("runAsUser").asText());
        assertEquals(imageUser[1], pod.path("securityContext").path("runAsGroup").asText());
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals(List.of("ALL"), texts(security.path("capabilities").path("drop")));
        String tmpVolume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals("/tmp")) {
                tmpVolume = mount.path("name").asText();
            }
        }
        assertTrue(tmpVolume != null, "no volume on /tmp, which the JVM writes to");
        boolean emptyDir = false;
        for (JsonNode volume : pod.path("volumes")) {
            emptyDir |= volume.path("name").asText().equals(tmpVolume) && volume.has("emptyDir");
        }
        assertTrue(emptyDir, "/tmp is not an emptyDir");
    }

    @Test
    void the_container_requests_cpu_and_memory_and_is_limited_to_the_memory_it_requests() {
        JsonNode resources = container().path("resources");

        assertFalse(resources.path("requests").path("cpu").asText().isEmpty());
        assertFalse(resources.path("requests").path("memory").asText().isEmpty());
        assertEquals(resources.path("requests").path("memory").asText(), resources.path("limits").path("memory").asText());
    }

    @Test
    void the_service_and_the_disruption_budget_select_the_deployments_pods() {
        JsonNode deployment = object("Deployment");
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");

        assertEquals(podLabels, deployment.path("spec").path("selector").path("matchLabels"));
        assertEquals(podLabels, object("Service").path("spec").path("selector"));
        JsonNode budget = object("PodDisruptionBudget").path("spec");
        assertEquals(podLabels, budget.path("selector").path("matchLabels"));
        assertTrue(budget.path("maxUnavailable").asInt() >= 1
                        && budget.path("maxUnavailable").asInt() < deployment.path("spec").path("replicas").asInt(),
                "the budget must let one pod go and keep one serving");
        JsonNode kustomization = yaml(kubernetes.resolve("kustomization.yaml")).get(0);
        assertEquals(container().path("image").asText(), kustomization.path("images").path(0).path("name").asText());
    }

    @Test
    void credentials_come_from_the_payhook_secret_under_the_keys_the_deployment_guide_creates() throws IOException {
        String guide = Files.readString(DEPLOY.resolveSibling("docs").resolve("deployment.md"));
        int fromSecret = 0;

        for (Map.Entry<String, JsonNode> variable : env(container()).entrySet()) {
            JsonNode reference = variable.getValue().path("valueFrom").path("secretKeyRef");
            if (SECRET_VARIABLES.contains(variable.getKey())) {
                assertFalse(variable.getValue().has("value"), variable.getKey() + " is written into the manifest");
                assertEquals("payhook", reference.path("name").asText(), variable.getKey());
            }
            if (!reference.isMissingNode()) {
                fromSecret++;
                String key = reference.path("key").asText();
                assertTrue(guide.contains("--from-literal=" + key + "="), "docs/deployment.md does not create " + key);
            }
        }
        assertTrue(fromSecret >= 2, "REDIS_URL and WEBHOOK_SECRETS must come from the Secret");
    }

    @Test
    void every_variable_the_manifests_and_the_compose_file_set_is_a_documented_configuration_variable() {
        Set<String> documented = documentedVariables().keySet();
        Set<String> set = new TreeSet<>(env(container()).keySet());
        for (String service : List.of("payhook-1", "payhook-2")) {
            set.addAll(composeEnvironment(service).keySet());
        }

        assertTrue(set.size() >= 5, set::toString);
        Set<String> undocumented = new TreeSet<>(set);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "not in docs/configuration.md");
    }

    @Test
    void both_compose_instances_share_one_configuration_publish_on_loopback_and_stop_within_their_grace_period() {
        JsonNode services = composeFile().path("services");
        Map<String, String> environment = composeEnvironment("payhook-1");

        assertEquals(environment, composeEnvironment("payhook-2"));
        assertEquals("redis://redis:6379", environment.get("REDIS_URL"));
        assertTrue(services.has("redis"));
        Duration needed = parse(environment.get("DRAIN_DELAY")).plus(parse(environment.get("SHUTDOWN_TIMEOUT")))
                .plus(EXIT_MARGIN);
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            for (String published : texts(service.getValue().path("ports"))) {
                assertTrue(published.startsWith("127.0.0.1:"), service.getKey() + " publishes " + published);
            }
            if (service.getKey().startsWith("payhook-")) {
                assertTrue(texts(service.getValue().path("ports")).getFirst().endsWith(":" + defaultOf("PORT")));
                assertTrue(service.getValue().path("read_only").asBoolean(), service.getKey());
                assertTrue(parse(service.getValue().path("stop_grace_period").asText()).compareTo(needed) >= 0,
                        service.getKey() + " may be killed before it has drained");
            }
        }
    }

    @Test
    void the_compose_prometheus_scrapes_both_instances_and_passes_promtool_with_the_shipped_rules(@TempDir Path dir)
            throws IOException {
        Files.copy(compose.resolve("prometheus.yml"), dir.resolve("prometheus.yml"));
        Files.copy(DeployFolder.prometheus().resolve(DeployFolder.ALERTS), dir.resolve(DeployFolder.ALERTS));
        JsonNode scrape = yaml(compose.resolve("prometheus.yml")).get(0).path("scrape_configs").path(0);

        assertEquals("payhook", scrape.path("job_name").asText());
        assertEquals(List.of("payhook-1:" + defaultOf("PORT"), "payhook-2:" + defaultOf("PORT")),
                texts(scrape.path("static_configs").path(0).path("targets")));
        RequiredProgram.Result check = RequiredProgram.promtool().run(dir, "", "check", "config", "prometheus.yml");
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: 1 rule files found"), check.output());
    }

    @Test
    void every_file_compose_mounts_exists_and_grafana_finds_the_dashboard_and_prometheus_where_they_are_mounted() {
        JsonNode services = composeFile().path("services");
        Map<String, Path> mounted = new HashMap<>();
        for (JsonNode service : services) {
            for (String volume : texts(service.path("volumes"))) {
                String[] parts = volume.split(":");
                if (parts[0].startsWith(".")) {
                    Path source = compose.resolve(parts[0]).normalize();
                    assertTrue(Files.isRegularFile(source), volume);
                    mounted.put(parts[1], source);
                }
            }
        }

        assertEquals(DEPLOY.resolve("grafana/payhook-dashboard.json"),
                mounted.get(dashboardsFolder() + "/payhook-dashboard.json"));
        assertEquals(DEPLOY.resolve("prometheus").resolve(DeployFolder.ALERTS), mounted.get("/etc/prometheus/alerts.yml"));
        JsonNode datasource = yaml(compose.resolve("grafana/datasource.yaml")).get(0).path("datasources").path(0);
        assertEquals("prometheus", datasource.path("type").asText());
        assertEquals("http://prometheus:9090", datasource.path("url").asText());
        assertTrue(services.has("prometheus"));
    }

    private String dashboardsFolder() {
        return yaml(compose.resolve("grafana/dashboards.yaml")).get(0).path("providers").path(0).path("options")
                .path("path").asText();
    }

    // --- reading the files ---

    private JsonNode object(String kind) {
        List<JsonNode> found = new ArrayList<>();
        try (Stream<Path> listing = Files.list(kubernetes)) {
            for (Path file : listing.filter(path -> path.toString().endsWith(".yaml")).toList()) {
                yaml(file).stream().filter(object -> object.path("kind").asText().equals(kind)).forEach(found::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(1, found.size(), "expected one " + kind);
        return found.getFirst();
    }

    private JsonNode container() {
        JsonNode containers = object("Deployment").path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size());
        return containers.path(0);
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(variable -> env.put(variable.path("name").asText(), variable));
        return env;
    }

    /** A duration the Deployment sets, or else its documented default. */
    private static Duration setting(Map<String, JsonNode> env, String name) {
        JsonNode variable = env.get(name);
        return parse(variable != null ? variable.path("value").asText() : defaultOf(name));
    }

    private static Duration preStopSleep(JsonNode container) {
        JsonNode preStop = container.path("lifecycle").path("preStop");
        if (preStop.isMissingNode()) {
            return Duration.ZERO;
        }
        assertTrue(preStop.has("sleep"), "a preStop hook other than sleep: " + preStop);
        return Duration.ofSeconds(preStop.path("sleep").path("seconds").asLong());
    }

    private JsonNode composeFile() {
        return yaml(compose.resolve("compose.yaml")).get(0);
    }

    /** The environment of one compose service; a name without a value is passed through from the shell. */
    private Map<String, String> composeEnvironment(String service) {
        JsonNode environment = composeFile().path("services").path(service).path("environment");
        Map<String, String> variables = new HashMap<>();
        if (environment.isArray()) {
            for (String entry : texts(environment)) {
                int equals = entry.indexOf('=');
                variables.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
            }
        } else {
            environment.properties().forEach(entry -> variables.put(entry.getKey(), entry.getValue().asText()));
        }
        assertFalse(variables.isEmpty(), service + " has no environment");
        return variables;
    }

    private String imageInstruction(String prefix) {
        try {
            for (String line : Files.readAllLines(DEPLOY.resolve("image").resolve("Containerfile"))) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the Containerfile has no " + prefix.strip());
    }

    private static Map<String, String> documentedVariables() {
        try {
            Matcher row = DOCUMENTED_VARIABLE.matcher(
                    Files.readString(DEPLOY.resolveSibling("docs").resolve("configuration.md")));
            Map<String, String> defaults = new HashMap<>();
            while (row.find()) {
                defaults.put(row.group(1), row.group(2).strip());
            }
            return defaults;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String defaultOf(String variable) {
        String value = documentedVariables().get(variable);
        assertTrue(value != null, variable + " is not in docs/configuration.md");
        return value;
    }

    private static Duration parse(String duration) {
        Matcher matcher = DURATION.matcher(duration);
        assertTrue(matcher.matches(), "not a duration: " + duration);
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static List<JsonNode> yaml(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
            return documents;
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid YAML", e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
