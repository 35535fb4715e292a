package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric-name reader the monitoring tests rely on: if it found nothing, their checks would pass vacuously. */
class PromQlTest {

    @Test
    void a_metric_is_found_inside_functions_aggregations_and_ratios() {
        assertEquals(Set.of("a_total", "b_seconds_count"), PromQl.metricNames(
                "sum by (job, gateway) (rate(a_total{job=\"x\", result=~\"a|b\"}[5m])) / on (job) group_left"
                        + " sum without (le) (increase(b_seconds_count[$__rate_interval] offset 1h)) > 0.1"));
    }

    @Test
    void numbers_durations_strings_and_keywords_are_not_metrics() {
        assertEquals(Set.of("x_bucket"), PromQl.metricNames(
                "histogram_quantile(0.99, sum(rate(x_bucket{route=\"/webhooks or up\"}[1m]))) > bool 2.5e3"));
    }

    @Test
    void a_grafana_label_values_query_names_its_selector_metric() {
        assertEquals(Set.of("webhook_build_info"),
                PromQl.variableMetricNames("label_values(webhook_build_info{job=\"$job\"}, instance)"));
    }
}
