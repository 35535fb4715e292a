package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped Prometheus config, alerting rules and dashboard, checked with Prometheus's own promtool. */
class DeployFilesTest {

    private static final Pattern ALERT_UNDER_TEST = Pattern.compile("(?m)^\\s*alertname: (\\w+)\\s*$");

    private final RequiredProgram promtool = RequiredProgram.promtool();
    private final Path prometheus = DeployFolder.prometheus();

    @Test
    void the_prometheus_config_and_the_rules_it_loads_pass_promtool() {
        RequiredProgram.Result check = promtool.run(prometheus, "", "check", "config", DeployFolder.PROMETHEUS_CONFIG);

        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: 1 rule files found"), check.output());
    }

    @Test
    void the_alerting_rules_pass_promtool() {
        RequiredProgram.Result check = promtool.run(prometheus, "", "check", "rules", DeployFolder.ALERTS);

        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: " + DeployFolder.alertNames().size() + " rules found"),
                check.output());
    }

    @Test
    void the_alerting_rules_pass_their_unit_tests() {
        RequiredProgram.Result test = promtool.run(prometheus, "", "test", "rules", DeployFolder.ALERT_TESTS);

        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }

    @Test
    void every_alert_is_covered_by_a_unit_test_and_the_essential_alerts_exist() {
        Set<String> defined = DeployFolder.alertNames();
        Set<String> tested = matches(ALERT_UNDER_TEST, read(prometheus.resolve(DeployFolder.ALERT_TESTS)));

        assertTrue(defined.containsAll(List.of("PayhookStoreUnavailable", "PayhookGatewayFailureRatio",
                "PayhookSignatureFailures", "PayhookPayloadMismatch", "PayhookSlowWebhooks", "PayhookLeaseTakeovers",
                "PayhookGatewayCircuitOpen")),
                defined::toString);
        assertEquals(defined, tested);
    }

    @Test
    void the_dashboard_is_valid_json_whose_panels_all_query_the_chosen_prometheus() {
        JsonNode dashboard = DeployFolder.dashboardJson();
        Set<Integer> ids = new HashSet<>();
        int queried = 0;

        for (JsonNode panel : DeployFolder.panels(dashboard)) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id in " + title);
            JsonNode grid = panel.path("gridPos");
            assertTrue(grid.path("w").asInt() > 0 && grid.path("x").asInt() + grid.path("w").asInt() <= 24, title);
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
            assertFalse(panel.path("targets").isEmpty(), title + " has no query");
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), title + " has an empty query");
                assertEquals("${datasource}", target.path("datasource").path("uid").asText(), title);
                queried++;
            }
        }
        assertTrue(queried >= 20, "only " + queried + " queries");
        JsonNode variables = dashboard.path("templating").path("list");
        assertEquals("datasource", variables.path(0).path("type").asText());
        assertEquals("prometheus", variables.path(0).path("query").asText());
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
