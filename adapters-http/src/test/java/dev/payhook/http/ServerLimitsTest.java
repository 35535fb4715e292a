package dev.payhook.http;

import static dev.payhook.http.WebhookEndpointTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What Jetty enforces before a route runs: header size, idle connections, slow bodies; answered as problems. */
class ServerLimitsTest {

    private static RunningServer withLimits(ServerLimits limits) {
        return new RunningServer(HttpSettings.onPort(0), RunningServer.Edge.OPEN.withLimits(limits));
    }

    private static String bodyOf(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void headers_over_the_limit_get_431_as_a_problem() {
        try (RunningServer server = withLimits(new ServerLimits(4_096, Duration.ofSeconds(30), 1_024))) {
            HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/webhooks"))
                    .header("Content-Type", "application/json")
                    .header("X-Padding", "p".repeat(5_000))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"evt_1\",\"amount\":1}")).build());

            assertProblem(response, 431, "headers-too-large");
            assertTrue(response.body().contains("4096 bytes"), response.body());
            assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"too_large\""));
            assertEquals(0, server.store.calls.get());
        }
    }

    @Test
    void headers_under_the_limit_pass() {
        try (RunningServer server = withLimits(new ServerLimits(8_192, Duration.ofSeconds(30), 1_024))) {
            HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/webhooks"))
                    .header("Content-Type", "application/json")
                    .header("X-Padding", "p".repeat(6_000))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"evt_1\",\"amount\":1}")).build());

            assertEquals(200, response.statusCode(), response.body());
        }
    }

    @Test
    void a_malformed_request_line_gets_400_as_a_problem() {
        try (RunningServer server = withLimits(ServerLimits.DEFAULTS);
             RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(5))) {
            String response = connection.write("POST /webhooks HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n").readAll();

            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertTrue(response.contains("Content-Type: application/problem+json"), response);
            assertEquals(400, Json.parse(bodyOf(response)).get("status").asInt());
            assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"malformed\""));
        }
    }

    @Test
    void an_unreadable_protocol_version_is_a_400_not_a_5xx() {
        try (RunningServer server = withLimits(ServerLimits.DEFAULTS);
             RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(5))) {
            String response = connection.write("POST /webhooks HTTP/5.0\r\nHost: x\r\n\r\n").readAll();

            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertEquals(Problem.TYPE_PREFIX + "invalid-request", Json.parse(bodyOf(response)).get("type").asText());
        }
    }

    @Test
    void an_idle_connection_is_closed_after_the_idle_timeout() {
        try (RunningServer server = withLimits(new ServerLimits(8_192, Duration.ofMillis(400), 1_024));
             RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(5))) {
            long started = System.nanoTime();
            connection.write("POST /webhooks HTTP/1.1\r\nHost: x\r\n");

            assertTrue(connection.closedByServer(), "the server kept a half-sent request open");
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(waited.compareTo(Duration.ofMillis(350)) >= 0 && waited.compareTo(Duration.ofSeconds(3)) < 0,
                    "closed after " + waited);
        }
    }

    @Test
    void a_body_that_stops_arriving_gets_408_and_reaches_nothing() {
        try (RunningServer server = withLimits(new ServerLimits(8_192, Duration.ofMillis(500), 1_024));
             RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(5))) {
            String response = connection.write("POST /webhooks HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"event_id\":").readAll();

            assertTrue(response.startsWith("HTTP/1.1 408 "), response);
            assertEquals(Problem.TYPE_PREFIX + "request-timeout", Json.parse(bodyOf(response)).get("type").asText());
            assertEquals(0, server.store.calls.get());
            assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"timeout\""));
        }
    }

    @Test
    void a_body_trickling_below_the_minimum_rate_gets_408() throws InterruptedException {
        try (RunningServer server = withLimits(new ServerLimits(8_192, Duration.ofSeconds(10), 1_000));
             RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(8))) {
            connection.write("POST /webhooks HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2000\r\n\r\n");
            // A byte every 300 ms: far below 1000 B/s, yet never idle long enough for the idle timeout.
            int sent = connection.trickle(" ".repeat(20), Duration.ofMillis(300));
            String response = connection.readAll();

            assertTrue(sent < 20, "the server waited for the whole trickle");
            assertTrue(response.startsWith("HTTP/1.1 408 "), response);
            assertEquals(Problem.TYPE_PREFIX + "request-timeout", Json.parse(bodyOf(response)).get("type").asText());
            assertEquals(0, server.store.calls.get());
        }
    }
}
