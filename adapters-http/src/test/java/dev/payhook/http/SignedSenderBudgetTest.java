package dev.payhook.http;

import static dev.payhook.http.WebhookEndpointTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payhook.domain.RateLimit;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With signatures on, only verified requests spend the rate-limit budget, and forgeries are limited per address. */
class SignedSenderBudgetTest {

    private final String secret = Sender.newSecret();
    private final Sender sender = new Sender(secret);
    private final RunningServer server = new RunningServer(HttpSettings.onPort(0), RunningServer.Edge.OPEN
            .withSecrets(List.of(secret))
            .withRateLimiter(new TokenBucketRateLimiter(new RateLimit(5, Duration.ofHours(1))))
            .withFailedSignatures(new FailedSignatureLimiter(new RateLimit(3, Duration.ofHours(1)))));

    @AfterEach
    void stop() {
        server.close();
    }

    private static String event(int n) {
        return "{\"event_id\":\"evt_budget_" + n + "\",\"amount\":" + (100 + n) + "}";
    }

    private HttpResponse<String> signed(int n) {
        return server.send(sender.post(server.uri("/webhooks"), "evt_budget_" + n, server.clock.instant(), event(n))
                .build());
    }

    private HttpResponse<String> unsigned(int n) {
        return server.postJson(event(n));
    }

    private HttpResponse<String> forged(int n) {
        HttpRequest request = Sender.unsigned(server.uri("/webhooks"), "evt_budget_" + n, server.clock.instant(), event(n))
                .header(WebhookServer.SIGNATURE_HEADER, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").build();
        return server.send(request);
    }

    @Test
    void unsigned_requests_spend_none_of_the_budget_of_signed_senders() {
        for (int i = 0; i < 20; i++) {
            assertProblem(unsigned(i), 401, "invalid-signature");
        }

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = signed(i);
            assertEquals(200, response.statusCode(), response.body());
        }
        assertProblem(signed(5), 429, "rate-limited");
        assertEquals(5, server.gateway.calls());
        assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"rate_limited\""));
    }

    @Test
    void unsigned_requests_never_lock_out_their_address() {
        for (int i = 0; i < 50; i++) {
            assertProblem(unsigned(i), 401, "invalid-signature");
        }

        assertEquals(200, signed(1).statusCode());
        assertEquals(0.0, server.metric("webhook_rejected_requests_total", "reason=\"bad_signature_flood\""));
    }

    @Test
    void an_address_that_keeps_sending_bad_signatures_is_refused_before_they_are_checked() {
        for (int i = 0; i < 3; i++) {
            assertProblem(forged(i), 401, "invalid-signature");
        }

        HttpResponse<String> refused = forged(3);

        assertProblem(refused, 429, "rate-limited");
        assertEquals(3.0, server.metric("webhook_signature_failures_total", "reason=\"no_matching_signature\""));
        assertEquals(1.0, server.metric("webhook_rejected_requests_total", "reason=\"bad_signature_flood\""));
        assertEquals(0.0, server.metric("webhook_rejected_requests_total", "reason=\"rate_limited\""),
                "forgeries spent none of the shared budget");
        assertEquals(0, server.store.calls.get());
    }
}
