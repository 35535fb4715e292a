package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The acceptance checks of the foundation, run against the packaged jar as a separate process. */
class PackagedServiceIT {

    private static final String EVENT = "{\"event_id\":\"evt_123\",\"amount\":1000}";

    @Test
    void with_no_configuration_it_pays_once_replays_and_refuses_a_reused_id() {
        try (ServiceProcess service = ServiceProcess.start(Map.of())) {
            HttpResponse<String> first = service.postJson(EVENT);
            HttpResponse<String> again = service.postJson(EVENT);
            HttpResponse<String> reused = service.postJson("{\"event_id\":\"evt_123\",\"amount\":999}");

            assertEquals(200, first.statusCode());
            assertEquals("{\"status\":\"success\",\"transaction_id\":\"txn_1000\"}", first.body());
            assertEquals(200, again.statusCode());
            assertEquals("{\"status\":\"already_processed\",\"event_id\":\"evt_123\",\"transaction_id\":\"txn_1000\"}",
                    again.body());
            assertEquals(Optional.of("true"), again.headers().firstValue("Idempotent-Replayed"));
            assertEquals(422, reused.statusCode());
            assertEquals(Optional.of("application/problem+json"), reused.headers().firstValue("Content-Type"));
            assertEquals(1.0, service.metric("payment_gateway_seconds_count", "gateway=\"simulated\""));
            assertTrue(service.output().contains("listening on port " + service.port));
        }
    }

    @Test
    void bad_input_gets_a_problem_and_never_reaches_the_gateway() {
        List<String> bodies = List.of(
                "{\"event_id\":\"evt_1\",", "{\"event_id\":\"evt_1\"}", "{\"event_id\":\"evt_1\",\"amount\":10.5}",
                "{\"event_id\":\"evt_1\",\"amount\":\"1000\"}", "{\"event_id\":\"evt_1\",\"amount\":-1}",
                "{\"event_id\":\"evt_1\",\"amount\":9223372036854775808}", "{\"event_id\":\"\",\"amount\":1}",
                "{\"event_id\":\"" + "e".repeat(256) + "\",\"amount\":1}",
                "{\"event_id\":\"evt_1\",\"amount\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}");
        try (ServiceProcess service = ServiceProcess.start(Map.of())) {
            for (String body : bodies) {
                HttpResponse<String> response = service.postJson(body);
                assertTrue(response.statusCode() >= 400 && response.statusCode() < 500,
                        response.statusCode() + " for " + body.substring(0, Math.min(60, body.length())));
                assertEquals(Optional.of("application/problem+json"), response.headers().firstValue("Content-Type"));
            }
            HttpResponse<String> plainText = service.send(HttpRequest.newBuilder(service.uri("/webhooks"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(EVENT)).build());
            assertEquals(415, plainText.statusCode());

            assertEquals(0.0, service.metric("payment_gateway_seconds_count"));
            assertEquals(bodies.size() + 1.0, service.metric("webhook_rejected_requests_total"));
        }
    }

    @Test
    void sixty_four_concurrent_deliveries_of_a_new_event_charge_once() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("SIMULATED_LATENCY", "300ms"))) {
            int deliveries = 64;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < deliveries; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return service.postJson("{\"event_id\":\"evt_storm\",\"amount\":4200}");
                    }));
                }
                go.countDown();
                int successes = 0;
                for (Future<HttpResponse<String>> future : futures) {
                    HttpResponse<String> response = future.get();
                    if (response.body().contains("\"success\"")) {
                        successes++;
                    } else if (response.statusCode() == 200) {
                        assertTrue(response.body().contains("\"already_processed\""), response.body());
                    } else {
                        assertEquals(409, response.statusCode(), response.body());
                        assertTrue(response.headers().firstValue("Retry-After").isPresent());
                    }
                }
                assertEquals(1, successes);
            }
            assertEquals(1.0, service.metric("payment_gateway_seconds_count", "result=\"charged\""));
        }
    }

    @Test
    void a_provider_error_leaves_the_outcome_unknown_503_until_reconciliation_with_one_gateway_call() {
        try (ServiceProcess service = ServiceProcess.start(Map.of("SIMULATED_FAILURE_RATE", "1"))) {
            HttpResponse<String> first = service.postJson(EVENT);
            HttpResponse<String> second = service.postJson(EVENT);

            assertEquals(503, first.statusCode(), first.body());
            assertTrue(first.body().contains("payment-outcome-unknown"), first.body());
            assertEquals(Optional.of("60"), first.headers().firstValue("Retry-After"));
            assertEquals(503, second.statusCode());
            long retryAfter = Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 50 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals(1.0, service.metric("payment_gateway_seconds_count", "result=\"unknown\""));
            assertEquals(2.0, service.metric("webhook_events_total", "outcome=\"outcome_unknown\""));
        }
    }

    @Test
    void a_decline_is_answered_again_without_a_second_gateway_call() {
        try (ServiceProcess service = ServiceProcess.start(Map.of("SIMULATED_DECLINE_RATE", "1"))) {
            HttpResponse<String> first = service.postJson(EVENT);
            HttpResponse<String> again = service.postJson(EVENT);

            String declined = "{\"status\":\"declined\",\"event_id\":\"evt_123\",\"reason\":\"card_declined\"}";
            assertEquals(200, first.statusCode());
            assertEquals(declined, first.body());
            assertEquals(200, again.statusCode());
            assertEquals(declined, again.body());
            assertEquals(1.0, service.metric("payment_gateway_seconds_count"));
            assertEquals(2.0, service.metric("webhook_events_total", "outcome=\"declined\""));
        }
    }

    @Test
    void invalid_configuration_exits_2_and_names_every_problem() throws Exception {
        try (ServiceProcess service = ServiceProcess.runToExit(
                Map.of("SUCCESS_TTL", "banana", "LEASE_TTL", "1s", "PAYMENT_TIMEOUT", "10s"))) {
            assertEquals(2, service.exitCode());
            String output = service.output();
            assertTrue(output.contains("SUCCESS_TTL: 'banana' is not a duration"), output);
            assertTrue(output.contains("LEASE_TTL: must be longer than 21000 ms = 2 x PAYMENT_TIMEOUT 10000 ms"), output);
        }
    }

    @Test
    void with_log_format_json_invalid_configuration_is_one_json_error_line_naming_every_problem() throws Exception {
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of("LOG_FORMAT", "json",
                "SUCCESS_TTL", "banana", "LEASE_TTL", "1s", "PAYMENT_TIMEOUT", "10s"))) {
            assertEquals(2, service.exitCode());
            List<String> lines = service.output().lines().filter(line -> !line.isBlank()).toList();
            assertEquals(1, lines.size(), service.output());
            JsonNode line = new ObjectMapper().readTree(lines.getFirst());

            assertEquals("ERROR", line.path("level").asText());
            assertEquals("dev.payhook.app.Main", line.path("logger").asText());
            assertEquals("Invalid configuration (2 problems)", line.path("message").asText());
            Instant.parse(line.path("timestamp").asText());
            List<String> problems = new ArrayList<>();
            line.path("problems").forEach(problem -> problems.add(problem.asText()));
            assertEquals(2, problems.size(), line.toString());
            assertTrue(problems.getFirst().startsWith("SUCCESS_TTL: 'banana' is not a duration"), line.toString());
            assertTrue(problems.get(1).startsWith("LEASE_TTL: must be longer than 21000 ms = 2 x PAYMENT_TIMEOUT"), line.toString());
        }
    }

    @Test
    void an_invalid_log_format_reports_the_configuration_errors_as_plain_text() throws Exception {
        try (ServiceProcess service = ServiceProcess.runToExit(Map.of("LOG_FORMAT", "xml", "PORT", "x"))) {
            assertEquals(2, service.exitCode());
            String output = service.output();
            assertTrue(output.startsWith("Invalid configuration (2 problems):"), output);
            assertTrue(output.contains("LOG_FORMAT: 'xml' is not one of text, json"), output);
        }
    }

    @Test
    void sigterm_lets_a_request_in_flight_finish_before_the_process_exits() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("SIMULATED_LATENCY", "1500ms"))) {
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                    () -> service.postJson("{\"event_id\":\"evt_drain\",\"amount\":77}"));
            ServiceProcess.sleep(Duration.ofMillis(500));

            int exit = service.terminate();

            HttpResponse<String> response = inFlight.get();
            assertEquals(200, response.statusCode());
            assertEquals("{\"status\":\"success\",\"transaction_id\":\"txn_77\"}", response.body());
            assertNotEquals(137, exit, "the process had to be killed");
            assertTrue(service.output().contains("stopped"), service.output());
        }
    }
}
