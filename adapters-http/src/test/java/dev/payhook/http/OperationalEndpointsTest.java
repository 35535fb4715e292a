package dev.payhook.http;

import static dev.payhook.http.WebhookEndpointTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.ChargeResult;
import dev.payhook.http.metrics.HttpMetrics;
import dev.payhook.http.metrics.MicrometerProcessingObserver;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperationalEndpointsTest {

    private final RunningServer server = new RunningServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void liveness_and_readiness_answer_200_while_the_store_answers() {
        assertEquals(200, server.get("/health/live").statusCode());
        HttpResponse<String> ready = server.get("/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("UP", Json.parse(ready.body()).get("status").asText());
    }

    @Test
    void readiness_is_503_with_a_reason_when_the_store_does_not_answer() {
        server.store.takeDown();

        HttpResponse<String> ready = server.get("/health/ready");

        assertEquals(503, ready.statusCode());
        assertEquals("DOWN", Json.parse(ready.body()).get("status").asText());
        assertFalse(Json.parse(ready.body()).get("reason").asText().isBlank());
    }

    @Test
    void readiness_is_503_while_the_gateway_cannot_charge() {
        server.gateway.broken("stripe refused the API key (HTTP 401)");

        HttpResponse<String> ready = server.get("/health/ready");

        assertEquals(503, ready.statusCode());
        assertEquals("the payment gateway cannot charge", Json.parse(ready.body()).get("reason").asText());
        assertEquals("stripe refused the API key (HTTP 401)", Json.parse(ready.body()).get("detail").asText());
    }

    @Test
    void metrics_count_outcomes_gateway_calls_and_store_operations() {
        server.postJson("{\"event_id\":\"evt_m1\",\"amount\":1000}");
        server.postJson("{\"event_id\":\"evt_m1\",\"amount\":1000}");
        server.postJson("{\"event_id\":\"evt_m1\",\"amount\":5}");
        server.gateway.always(new ChargeResult.Failed("boom"));
        server.postJson("{\"event_id\":\"evt_m2\",\"amount\":1000}");

        assertEquals(1.0, server.metric("webhook_events_total", "outcome=\"processed\""));
        assertEquals(1.0, server.metric("webhook_events_total", "outcome=\"already_processed\""));
        assertEquals(1.0, server.metric("webhook_events_total", "outcome=\"payload_mismatch\""));
        assertEquals(1.0, server.metric("webhook_events_total", "outcome=\"payment_failed\""));
        assertEquals(1.0, server.metric("payment_gateway_seconds_count", "result=\"charged\"", "gateway=\"recording\""));
        assertEquals(1.0, server.metric("payment_gateway_seconds_count", "result=\"failed\""));
        assertEquals(4.0, server.metric("idempotency_store_seconds_count", "operation=\"claim\"", "store=\"memory\""));
        assertTrue(server.metric("webhook_processing_seconds_bucket", "outcome=\"processed\"", "le=\"+Inf\"") >= 1);
    }

    @Test
    void metrics_include_jvm_process_and_build_info_with_descriptions() {
        String scrape = server.get("/metrics").body();

        for (String name : new String[]{"jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                "process_cpu_seconds_total", "system_available_processors", "process_uptime_seconds",
                "webhook_build_info", "idempotency_lease_takeovers_total", "idempotency_fencing_rejections_total"}) {
            assertTrue(scrape.contains("\n" + name), name + " missing");
        }
        // Micrometer's own names for these break Prometheus conventions (a unit abbreviation, a _count gauge).
        assertFalse(scrape.contains("process_cpu_time_ns_total"));
        assertFalse(scrape.contains("system_cpu_count"));
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# HELP ")) {
                assertTrue(line.split(" ", 4).length == 4 && !line.split(" ", 4)[3].isBlank(), line);
            }
        }
        assertEquals(1.0, server.metric("webhook_build_info", "version=\"test\""));
    }

    @Test
    void before_any_request_every_outcome_gateway_result_and_rejection_reason_is_exported_at_zero() {
        String scrape = server.get("/metrics").body();

        for (String outcome : MicrometerProcessingObserver.OUTCOMES) {
            assertExportedAtZero(scrape, "webhook_events_total", "outcome=\"" + outcome + "\"");
        }
        for (String result : MicrometerProcessingObserver.GATEWAY_RESULTS) {
            assertExportedAtZero(scrape, "payment_gateway_seconds_count", "result=\"" + result + "\"");
        }
        for (String reason : HttpMetrics.REJECTION_REASONS) {
            assertExportedAtZero(scrape, "webhook_rejected_requests_total", "reason=\"" + reason + "\"");
        }
    }

    @Test
    void request_metrics_use_the_route_template_never_the_raw_path() {
        server.get("/no/such/path/123");
        server.get("/health/live");

        assertEquals(1.0, server.metric("http_server_requests_seconds_count", "route=\"unmatched\"", "status=\"404\""));
        assertEquals(1.0, server.metric("http_server_requests_seconds_count", "route=\"/health/live\""));
        assertFalse(server.get("/metrics").body().contains("/no/such/path"));
    }

    @Test
    void unknown_routes_and_wrong_methods_are_problems_too() {
        assertProblem(server.get("/nope"), 404, "not-found");
        HttpResponse<String> wrongMethod = server.get("/webhooks");
        assertProblem(wrongMethod, 405, "method-not-allowed");
    }

    @Test
    void a_wrong_method_gets_405_with_the_methods_the_route_has_in_allow() {
        HttpResponse<String> getWebhooks = server.get("/webhooks");
        HttpResponse<String> postHealth = server.send(HttpRequest.newBuilder(server.uri("/health/ready"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> deleteMetrics = server.send(HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Accept", "text/html").DELETE().build());

        assertProblem(getWebhooks, 405, "method-not-allowed");
        assertEquals(Optional.of("POST"), getWebhooks.headers().firstValue("Allow"));
        assertProblem(postHealth, 405, "method-not-allowed");
        assertEquals(Optional.of("GET"), postHealth.headers().firstValue("Allow"));
        assertEquals(Optional.of("GET"), deleteMetrics.headers().firstValue("Allow"));
        assertTrue(getWebhooks.headers().firstValue("X-Request-Id").isPresent());
    }

    @Test
    void metrics_are_served_in_the_prometheus_text_format() {
        HttpResponse<String> response = server.get("/metrics");

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("text/plain; version=0.0.4; charset=utf-8"), response.headers().firstValue("Content-Type"));
    }

    private static void assertExportedAtZero(String scrape, String name, String label) {
        assertTrue(scrape.lines().anyMatch(line -> line.startsWith(name + "{") && line.contains(label)
                && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == 0.0), name + " " + label);
    }
}
