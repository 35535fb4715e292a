package dev.payhook.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The monitoring files shipped in {@code deploy/}: Prometheus config, alerting rules, Grafana dashboard. */
final class DeployFolder {

    static final String PROMETHEUS_CONFIG = "prometheus.yml";
    static final String ALERTS = "alerts.yml";
    static final String ALERT_TESTS = "alerts_test.yml";
    private static final Pattern ALERT_DEFINITION = Pattern.compile("(?m)^\\s*- alert: (\\w+)\\s*$");

    private DeployFolder() {
    }

    static Path prometheus() {
        return existing(root().resolve("prometheus"));
    }

    /** The names of the alerts defined in alerts.yml. */
    static Set<String> alertNames() {
        try {
            Matcher alert = ALERT_DEFINITION.matcher(Files.readString(prometheus().resolve(ALERTS)));
            Set<String> names = new TreeSet<>();
            while (alert.find()) {
                names.add(alert.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path dashboard() {
        return existing(root().resolve("grafana").resolve("payhook-dashboard.json"));
    }

    static JsonNode dashboardJson() {
        try {
            return new ObjectMapper().readTree(dashboard().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard is not valid JSON", e);
        }
    }

    /** Every panel of the dashboard, those inside collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** The PromQL of every panel query. */
    static List<String> panelQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.path("targets").forEach(target -> queries.add(target.path("expr").asText()));
        }
        return queries;
    }

    /** The queries of the dashboard's query variables (job, instance). */
    static List<String> variableQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.add(variable.path("definition").asText());
            }
        }
        return queries;
    }

    private static Path root() {
        String root = System.getProperty("payhook.deploy");
        if (root == null) {
            throw new IllegalStateException("system property payhook.deploy is not set; run through Maven: ./mvnw verify");
        }
        return existing(Path.of(root));
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new AssertionError(path + " does not exist");
        }
        return path;
    }
}
