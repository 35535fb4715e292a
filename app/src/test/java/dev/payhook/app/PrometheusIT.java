package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payhook.http.metrics.HttpMetrics;
import dev.payhook.http.metrics.MicrometerProcessingObserver;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged service scraped by a real Prometheus that runs the shipped {@code deploy/prometheus} config
 * and alerting rules; the counters Prometheus stores are held against a known mix of deliveries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String JOB = "job=\"payhook\"";
    private static final int NEW_EVENTS = 30;
    private static final int MISMATCHES = 4;
    /** Series Prometheus makes itself for every target, which the service does not export. */
    private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    private ServiceProcess service;
    private PrometheusServer prometheus;
    private Map<String, Double> outcomesBeforeTraffic;
    private Map<String, Double> rejectionsBeforeTraffic;
    private final Map<String, Double> outcomesSent = zeros(MicrometerProcessingObserver.OUTCOMES);
    private final Map<String, Double> rejectionsSent = zeros(HttpMetrics.REJECTION_REASONS);
    private final Map<String, Double> statusesSent = new TreeMap<>();
    private String scrapeAfterTraffic;

    @BeforeAll
    void scrape_before_and_after_a_known_mix_of_deliveries() {
        // Half of all charges leave their outcome unknown, so one run has paid, unknown, replayed, refused and
        // rejected deliveries;
        // the circuit breaker may open only after more calls than the run makes, so every charge is sent.
        // The small heap makes a garbage collection certain by the first scrape: jvm_gc_pause_seconds, which
        // the dashboard shows, exists only from the first collection on.
        service = ServiceProcess.start(Map.of("SIMULATED_FAILURE_RATE", "0.5",
                "PAYMENT_BREAKER_WINDOW", "100", "PAYMENT_BREAKER_MIN_CALLS", "100"), List.of("-Xmx64m"));
        Path rules = DeployFolder.prometheus().resolve(DeployFolder.ALERTS);
        prometheus = PrometheusServer.start(shippedConfigFor(service.port), Map.of(DeployFolder.ALERTS, rules));

        prometheus.awaitScrapeAfter(Instant.now(), WAIT);
        outcomesBeforeTraffic = prometheus.queryBy("outcome", "sum by (outcome) (webhook_events_total{" + JOB + "})");
        rejectionsBeforeTraffic =
                prometheus.queryBy("reason", "sum by (reason) (webhook_rejected_requests_total{" + JOB + "})");

        sendTheMix();
        // Request meters are recorded just after each response is written: leave them a moment.
        prometheus.awaitScrapeAfter(Instant.now().plusMillis(500), WAIT);
        scrapeAfterTraffic = service.get("/metrics").body();
    }

    @AfterAll
    void stop() {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    void prometheus_with_the_shipped_config_scrapes_the_service_as_up() {
        JsonNode target = prometheus.api("targets?state=active").path("activeTargets").path(0);

        assertEquals("up", target.path("health").asText(), target.toString());
        assertEquals("payhook", target.path("labels").path("job").asText());
        assertEquals("http://127.0.0.1:" + service.port + "/metrics", target.path("scrapeUrl").asText());
        assertEquals(1.0, prometheus.queryValue("up{" + JOB + "}"));
    }

    @Test
    void before_any_delivery_every_outcome_and_rejection_reason_is_exported_at_zero() {
        assertEquals(zeros(MicrometerProcessingObserver.OUTCOMES), outcomesBeforeTraffic);
        assertEquals(zeros(HttpMetrics.REJECTION_REASONS), rejectionsBeforeTraffic);
    }

    @Test
    void outcome_and_rejection_counters_in_prometheus_match_what_was_sent() {
        assertTrue(outcomesSent.get("processed") > 0 && outcomesSent.get("outcome_unknown") > 0, outcomesSent::toString);

        assertEquals(outcomesSent, prometheus.queryBy("outcome", "sum by (outcome) (webhook_events_total{" + JOB + "})"));
        assertEquals(rejectionsSent,
                prometheus.queryBy("reason", "sum by (reason) (webhook_rejected_requests_total{" + JOB + "})"));
        assertEquals(0.0, prometheus.queryValue("idempotency_lease_takeovers_total{" + JOB + "}"));
        assertEquals(0.0, prometheus.queryValue("idempotency_fencing_rejections_total{" + JOB + "}"));
    }

    @Test
    void gateway_store_and_http_counters_in_prometheus_match_what_was_sent() {
        Map<String, Double> gatewayCalls = zeros(MicrometerProcessingObserver.GATEWAY_RESULTS);
        gatewayCalls.put("charged", outcomesSent.get("processed"));
        gatewayCalls.put("unknown", outcomesSent.get("outcome_unknown") / 2);
        double decided = outcomesSent.values().stream().mapToDouble(Double::doubleValue).sum();

        assertEquals(gatewayCalls, prometheus.queryBy("result",
                "sum by (result) (payment_gateway_seconds_count{" + JOB + ", gateway=\"simulated\"})"));
        assertEquals(decided, prometheus.queryValue(
                "sum(idempotency_store_seconds_count{" + JOB + ", store=\"memory\", operation=\"claim\"})"));
        assertEquals(statusesSent, prometheus.queryBy("status",
                "sum by (status) (http_server_requests_seconds_count{" + JOB + ", route=\"/webhooks\"})"));
        Map<String, Double> builds = prometheus.queryBy("version", "webhook_build_info{" + JOB + "}");
        assertEquals(1, builds.size(), builds::toString);
        assertTrue(builds.keySet().iterator().next().matches("\\d+\\.\\d+\\.\\d+.*"), builds::toString);
        assertEquals(1.0, builds.values().iterator().next());
    }

    @Test
    void the_shipped_alert_rules_load_and_evaluate_without_errors() {
        JsonNode groups = prometheus.awaitApi("rules?type=alert", WAIT, data -> allRules(data).stream()
                .noneMatch(rule -> rule.path("health").asText().equals("unknown"))).path("groups");

        List<JsonNode> rules = allRules(groups);
        assertEquals(DeployFolder.alertNames(),
                rules.stream().map(rule -> rule.path("name").asText()).collect(Collectors.toSet()));
        for (JsonNode rule : rules) {
            String name = rule.path("name").asText();
            assertEquals("ok", rule.path("health").asText(), name + ": " + rule.path("lastError").asText());
            assertTrue(Set.of("critical", "warning").contains(rule.path("labels").path("severity").asText()), name);
            assertFalse(rule.path("annotations").path("summary").asText().isBlank(), name);
            assertFalse(rule.path("annotations").path("description").asText().isBlank(), name);
        }
    }

    @Test
    void on_this_traffic_the_mismatch_alert_fires_and_the_gateway_alert_is_pending() {
        JsonNode alerts = prometheus.awaitApi("alerts", WAIT, data -> {
            Map<String, String> states = alertStates(data);
            return "firing".equals(states.get("PayhookPayloadMismatch"))
                    && "pending".equals(states.get("PayhookGatewayFailureRatio"));
        });

        // Nothing else may fire; a slow machine may at most leave the latency alert pending.
        Map<String, String> firing = new HashMap<>(alertStates(alerts));
        firing.values().removeIf(state -> !state.equals("firing"));
        assertEquals(Map.of("PayhookPayloadMismatch", "firing"), firing);
    }

    @Test
    void every_dashboard_query_names_exported_metrics_and_runs_in_prometheus() {
        JsonNode dashboard = DeployFolder.dashboardJson();
        Set<String> exported = metricNames(scrapeAfterTraffic);
        List<String> queries = DeployFolder.panelQueries(dashboard);

        for (String query : queries) {
            Set<String> named = PromQl.metricNames(query);
            assertFalse(named.isEmpty(), "names no metric: " + query);
            assertExported(exported, named, query);
            prometheus.query(query.replace("$job", "payhook").replace("$instance", ".*")
                    .replace("$__rate_interval", "1m"));
        }
        for (String query : DeployFolder.variableQueries(dashboard)) {
            assertExported(exported, PromQl.variableMetricNames(query), query);
        }
    }

    @Test
    void every_alert_names_exported_metrics() {
        Set<String> exported = metricNames(scrapeAfterTraffic);

        for (JsonNode rule : allRules(prometheus.api("rules?type=alert").path("groups"))) {
            String query = rule.path("query").asText();
            Set<String> named = PromQl.metricNames(query);
            assertFalse(named.isEmpty(), "names no metric: " + query);
            assertExported(exported, named, rule.path("name").asText() + ": " + query);
        }
    }

    @Test
    void promtool_finds_no_problem_in_a_live_scrape() throws IOException {
        Path directory = Files.createTempDirectory("payhook-promtool-");
        try {
            RequiredProgram.Result check = RequiredProgram.promtool().run(directory, scrapeAfterTraffic, "check", "metrics");

            assertEquals(0, check.exitCode(), check.output());
            assertEquals("", check.output().strip());
        } finally {
            Files.delete(directory);
        }
    }

    private void sendTheMix() {
        for (int i = 0; i < NEW_EVENTS; i++) {
            String event = event("evt_prom_" + i, 100 + i);
            HttpResponse<String> first = sent(service.postJson(event));
            boolean paid = first.statusCode() == 200;
            assertTrue(paid || first.statusCode() == 503, first.statusCode() + " " + first.body());
            count(outcomesSent, paid ? "processed" : "outcome_unknown");

            HttpResponse<String> again = sent(service.postJson(event));
            assertEquals(paid ? 200 : 503, again.statusCode(), again.body());
            count(outcomesSent, paid ? "already_processed" : "outcome_unknown");
        }
        for (int i = 0; i < MISMATCHES; i++) {
            assertEquals(422, sent(service.postJson(event("evt_prom_" + i, 1))).statusCode());
            count(outcomesSent, "payload_mismatch");
        }
        for (String malformed : List.of("{\"event_id\":\"evt_prom_x\"}", "{\"event_id\":", "[1]")) {
            assertEquals(400, sent(service.postJson(malformed)).statusCode());
            count(rejectionsSent, "malformed");
        }
        assertEquals(415, sent(service.send(HttpRequest.newBuilder(service.uri("/webhooks"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(event("evt_prom_t", 1))).build())).statusCode());
        count(rejectionsSent, "media_type");
        assertEquals(413, sent(service.postJson("{\"pad\":\"" + "x".repeat(70_000) + "\"}")).statusCode());
        count(rejectionsSent, "too_large");
    }

    private HttpResponse<String> sent(HttpResponse<String> response) {
        count(statusesSent, Integer.toString(response.statusCode()));
        return response;
    }

    private static String event(String id, long amount) {
        return "{\"event_id\":\"" + id + "\",\"amount\":" + amount + "}";
    }

    /** The shipped prometheus.yml, pointed at the service under test and scraping every second. */
    private static String shippedConfigFor(int port) {
        try {
            String shipped = Files.readString(DeployFolder.prometheus().resolve(DeployFolder.PROMETHEUS_CONFIG));
            return replaced(replaced(replaced(shipped,
                    "- localhost:8080", "- 127.0.0.1:" + port),
                    "scrape_interval: 15s", "scrape_interval: 1s"),
                    "evaluation_interval: 15s", "evaluation_interval: 1s");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String replaced(String text, String target, String replacement) {
        assertTrue(text.contains(target), "the shipped prometheus.yml no longer contains " + target);
        return text.replace(target, replacement);
    }

    private static void assertExported(Set<String> exported, Set<String> named, String query) {
        Set<String> missing = new HashSet<>(named);
        missing.removeAll(exported);
        missing.removeAll(MADE_BY_PROMETHEUS);
        assertTrue(missing.isEmpty(), "not exported by the service: " + missing + " in " + query);
    }

    private static Set<String> metricNames(String scrape) {
        Set<String> names = new HashSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static List<JsonNode> allRules(JsonNode data) {
        List<JsonNode> rules = new ArrayList<>();
        JsonNode groups = data.has("groups") ? data.path("groups") : data;
        groups.forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    private static Map<String, String> alertStates(JsonNode data) {
        Map<String, String> states = new HashMap<>();
        data.path("alerts").forEach(alert -> states.put(alert.path("labels").path("alertname").asText(),
                alert.path("state").asText()));
        return states;
    }

    private static Map<String, Double> zeros(List<String> labels) {
        Map<String, Double> values = new TreeMap<>();
        labels.forEach(label -> values.put(label, 0.0));
        return values;
    }

    private static void count(Map<String, Double> counts, String key) {
        counts.merge(key, 1.0, Double::sum);
    }
}
