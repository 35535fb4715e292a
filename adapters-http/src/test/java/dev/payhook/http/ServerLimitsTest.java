package dev.payhook.http;

import static dev.payhook.http.WebhookEndpointTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What Jetty enforces before a route runs: header size, idle connections, slow bodies; answered as problems. */
class ServerLimitsTest {

    private static RunningServer withLimits(ServerLimits limits) {
        return new RunningServer(HttpSettings.onPort(0), RunningServer.Edge.OPEN.withLimits(limits));
    }

    private static String bodyOf(String response) {
        return RawResponse.parse(response).body();
    }

    /** Sends {@code request} on a connection of its own and returns all the server answers. */
    private static String exchange(RunningServer server, String request) {
        try (RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(5))) {
            return connection.write(request).readAll();
        }
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
    void a_request_target_over_the_limit_gets_414_as_a_problem_with_a_request_id() {
        try (RunningServer server = withLimits(new ServerLimits(4_096, Duration.ofSeconds(30), 1_024))) {
            String response = exchange(server, "GET /health/live?" + "q".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n"
                    + "X-Request-Id: req-414\r\n\r\n");

            assertTrue(response.startsWith("HTTP/1.1 414 "), response);
            assertEquals(Problem.TYPE_PREFIX + "uri-too-long", Json.parse(bodyOf(response)).get("type").asText());
            assertTrue(RawResponse.parse(response).header("X-Request-Id").filter(id -> !id.isBlank()).isPresent(), response);
            assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"too_large\""));
        }
    }

    @Test
    void every_refusal_before_routing_carries_a_new_request_id_as_jetty_passes_on_no_header_of_the_request() {
        try (RunningServer server = withLimits(new ServerLimits(4_096, Duration.ofSeconds(30), 1_024))) {
            String tooLarge = exchange(server, "POST /webhooks HTTP/1.1\r\nHost: x\r\nX-Request-Id: req-431\r\n"
                    + "X-Padding: " + "p".repeat(5_000) + "\r\n\r\n");
            String badVersion = exchange(server, "POST /webhooks HTTP/5.0\r\nHost: x\r\nX-Request-Id: req-400\r\n\r\n");
            String badLength = exchange(server, "POST /webhooks HTTP/1.1\r\nHost: x\r\nX-Request-Id: req-400\r\n"
                    + "Content-Length: ten\r\n\r\n");
            String badHeader = exchange(server, "POST /webhooks HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");

            assertTrue(tooLarge.startsWith("HTTP/1.1 431 "), tooLarge);
            for (String response : List.of(badVersion, badLength, badHeader)) {
                assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            }
            Set<String> ids = new HashSet<>();
            for (String response : List.of(tooLarge, badVersion, badLength, badHeader)) {
                String id = RawResponse.parse(response).header("X-Request-Id").orElseThrow(() -> new AssertionError(response));
                assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), response);
                ids.add(id);
            }
            assertEquals(4, ids.size(), ids::toString);
        }
    }

    /** A refusal must leave a kept connection in step with its client: the unread body is skipped, not parsed. */
    @Test
    void a_refusal_made_before_the_body_is_read_leaves_the_connection_ready_for_the_next_request() {
        try (RunningServer server = withLimits(ServerLimits.DEFAULTS);
             RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(5))) {
            RawResponse refused = connection.write("POST /webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 20\r\n\r\n" + "{\"event_id\":\"evt_k1\"}".substring(0, 20)).readResponse();
            RawResponse next = connection.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertEquals(415, refused.status(), refused::toString);
            assertEquals(415, Json.parse(refused.body()).get("status").asInt());
            assertFalse(refused.closes(), "the body had arrived whole, so the connection can be kept: " + refused);
            assertEquals(200, next.status(), next::toString);
            assertEquals("UP", Json.parse(next.body()).get("status").asText());
        }
    }

    @Test
    void a_refusal_made_before_the_body_arrived_says_the_connection_closes_and_closes_it() {
        try (RunningServer server = withLimits(ServerLimits.DEFAULTS);
             RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(5))) {
            RawResponse refused = connection.write("POST /webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 20\r\n\r\n").readResponse();

            assertEquals(415, refused.status(), refused::toString);
            // The unread body would otherwise be taken for the next request.
            assertTrue(refused.closes(), refused::toString);
            assertTrue(connection.closedByServer(), "the server kept a connection whose body it never read");
            assertEquals(0, server.store.calls.get());
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
