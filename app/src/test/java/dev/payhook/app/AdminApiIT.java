package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payhook.payment.fixtures.StripeStandIn;
import dev.payhook.redis.testing.LocalRedisCluster;
import dev.payhook.redis.testing.LocalRedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin API of the packaged jar, on each store: after a bad Stripe key is fixed, its failed event is
 * listed, inspected and released, and the next delivery pays; a paid event cannot be deleted.
 */
class AdminApiIT {

    private static final String TOKEN = "admin-" + UUID.randomUUID() + "-token";

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis", "cluster"})
    void a_failed_event_is_listed_inspected_and_released_and_a_paid_one_cannot_be_deleted(String store) throws Exception {
        try (AutoCloseable redis = storeFor(store)) {
            Map<String, String> env = environment(redis);
            try (ServiceProcess service = ServiceProcess.start(env)) {
                checkAdminApi(store, service, new Admin(service, Integer.parseInt(env.get("ADMIN_PORT"))));
            }
        }
    }

    private static void checkAdminApi(String store, ServiceProcess service, Admin admin) throws IOException {
        String failed = "evt_badkey_" + store;
        String paid = "evt_paid_" + store;

        stripe.fails(401, "invalid_request_error", null, "Invalid API Key provided");
        assertEquals(502, service.postJson(event(failed, 1000)).statusCode());
        stripe.createsPaymentIntents();
        assertEquals(200, service.postJson(event(paid, 500)).statusCode());

        assertEquals(401, admin.call("GET", "/admin/events/" + failed, "not-the-token").statusCode());
        JsonNode listed = json(admin.call("GET", "/admin/events?state=FAILED", TOKEN));
        assertTrue(listed.get("event_ids").toString().contains(failed), listed.toString());
        JsonNode inspected = json(admin.call("GET", "/admin/events/" + failed + "?amount=1000", TOKEN));
        assertEquals("FAILED", inspected.get("state").asText());
        assertTrue(inspected.get("matches").asBoolean());

        HttpResponse<String> released = admin.call("DELETE", "/admin/events/" + failed, TOKEN);
        assertEquals(200, released.statusCode(), released.body());
        HttpResponse<String> paidNow = service.postJson(event(failed, 1000));
        assertEquals(200, paidNow.statusCode(), paidNow.body());
        assertEquals("success", json(paidNow).get("status").asText());

        HttpResponse<String> refused = admin.call("DELETE", "/admin/events/" + paid, TOKEN);
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("SUCCEEDED", json(admin.call("GET", "/admin/events/" + paid, TOKEN)).get("state").asText());
        assertEquals("already_processed", json(service.postJson(event(paid, 500))).get("status").asText());

        assertEquals(2, stripe.paymentIntentsCreated(), "payments at the provider");
        assertEquals(1.0, service.metric("admin_requests_total", "action=\"release\"", "result=\"released\""));
        assertEquals(1.0, service.metric("admin_requests_total", "action=\"release\"", "result=\"refused\""));
        String output = service.output();
        assertTrue(output.lines().anyMatch(line -> line.contains("admin DELETE") && line.contains(failed)
                && line.contains("admin_token")), output);
        assertFalse(output.contains(TOKEN), "the admin token was logged");
    }

    private static AutoCloseable storeFor(String store) {
        return switch (store) {
            case "redis" -> LocalRedisServer.start();
            case "cluster" -> LocalRedisCluster.start();
            default -> () -> {
            };
        };
    }

    private static Map<String, String> environment(AutoCloseable redis) {
        Map<String, String> env = StripeEnvironment.of(stripe,
                "ADMIN_PORT", Integer.toString(ServiceProcess.freePort()),
                "ADMIN_TOKEN", TOKEN);
        switch (redis) {
            case LocalRedisServer server -> env.put("REDIS_URL", server.url());
            case LocalRedisCluster cluster -> env.put("REDIS_CLUSTER_NODES", cluster.nodesVariable());
            default -> {
            }
        }
        return env;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return new ObjectMapper().readTree(response.body());
    }

    /** Calls the admin port of a running service. */
    private record Admin(ServiceProcess service, int port) {

        HttpResponse<String> call(String method, String path, String token) {
            return service.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
        }
    }
}
