package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payhook.payment.fixtures.StripeStandIn;
import dev.payhook.redis.RedisAddress;
import dev.payhook.redis.testing.LocalRedisCluster;
import dev.payhook.redis.testing.LocalRedisServer;
import dev.payhook.redis.testing.LossyProxy;
import dev.payhook.redis.testing.Ports;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Exactly once under real faults, against the packaged jar: a process killed mid-payment, Redis frozen
 * between the charge and its record, replies lost on a cluster, Redis evicting or restarting. Payments are
 * counted where they happen, at a stand-in for Stripe that keeps its idempotency keys across our crashes.
 */
class ExactlyOnceFaultIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    private static Map<String, String> onStripe(String... more) {
        return StripeEnvironment.of(stripe, more);
    }

    private static String uniqueId(String name) {
        return name + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /**
     * Starts an instance with {@code env}, delivers {@code id} (amount 1000) and kills the instance with
     * {@code kill -9} while the charge is in flight: the stand-in has made the payment and holds its answer
     * back. Afterwards the stand-in answers at once, as Stripe does for a key it has seen.
     */
    private static void crashMidPayment(Map<String, String> env, String id) throws InterruptedException {
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofSeconds(4));
        try (ServiceProcess crashing = ServiceProcess.start(env)) {
            crashing.postJsonAsync(event(id, 1000));
            await().atMost(Duration.ofSeconds(30)).until(() -> stripe.paymentIntentsCreated() == 1);
            crashing.kill();
        }
        stripe.createsPaymentIntents();
    }

    @Test
    void a_takeover_after_a_crash_mid_payment_never_pays_another_amount_and_replays_the_same_payment() throws Exception {
        String id = uniqueId("evt_t1");
        try (LocalRedisServer redis = LocalRedisServer.start()) {
            Map<String, String> env = onStripe("REDIS_URL", redis.url(), "LEASE_TTL", "12500ms",
                    "PAYMENT_TIMEOUT", "5s", "REDIS_COMMAND_TIMEOUT", "500ms");
            crashMidPayment(env, id);
            try (ServiceProcess survivor = ServiceProcess.start(env)) {
                awaitLeaseEnd(redis, "webhook:" + id);

                HttpResponse<String> otherAmount = survivor.postJson(event(id, 999_999));
                assertEquals(422, otherAmount.statusCode(), otherAmount.body());
                assertEquals(1, stripe.requestCount(), "another amount reached the provider");

                HttpResponse<String> sameAmount = survivor.postJson(event(id, 1000));
                assertEquals(200, sameAmount.statusCode(), sameAmount.body());
                assertEquals("success", json(sameAmount).get("status").asText());
                assertEquals(1, stripe.paymentIntentsCreated(), "payments at the provider");
                assertEquals(2, stripe.requestCount(), "the takeover sent the same key again");
                assertEquals(1.0, survivor.metric("idempotency_lease_takeovers_total"));
            }
        }
    }

    @Test
    void two_instances_racing_to_take_over_a_crashed_payment_make_one_takeover_and_one_payment() throws Exception {
        String id = uniqueId("evt_race");
        try (LocalRedisServer redis = LocalRedisServer.start()) {
            Map<String, String> env = onStripe("REDIS_URL", redis.url(), "LEASE_TTL", "12500ms",
                    "PAYMENT_TIMEOUT", "5s", "REDIS_COMMAND_TIMEOUT", "500ms");
            crashMidPayment(env, id);
            try (ServiceProcess first = ServiceProcess.start(env); ServiceProcess second = ServiceProcess.start(env)) {
                awaitLeaseEnd(redis, "webhook:" + id);

                // Four deliveries through each instance at once, all after the lease ran out.
                List<CompletableFuture<HttpResponse<String>>> racing = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    racing.add(first.postJsonAsync(event(id, 1000)));
                    racing.add(second.postJsonAsync(event(id, 1000)));
                }
                List<HttpResponse<String>> answers = racing.stream().map(CompletableFuture::join).toList();

                long paid = answers.stream().filter(answer -> answer.statusCode() == 200).count();
                assertTrue(answers.stream().allMatch(answer -> answer.statusCode() == 200 || answer.statusCode() == 409),
                        answers.stream().map(answer -> answer.statusCode() + " " + answer.body()).toList()::toString);
                assertTrue(paid >= 1, "no delivery was answered as paid");
                assertEquals(1.0, first.metric("idempotency_lease_takeovers_total")
                        + second.metric("idempotency_lease_takeovers_total"), "takeovers");
                assertEquals(2, stripe.requestCount(), "the crashed charge and the one takeover's, with the same key");
                assertEquals(1, stripe.paymentIntentsCreated(), "payments at the provider");
                String transaction = json(first.postJson(event(id, 1000))).get("transaction_id").asText();
                assertEquals(stripe.paymentIntents().getFirst().id(), transaction);
                assertEquals(transaction, json(second.postJson(event(id, 1000))).get("transaction_id").asText());
            }
        }
    }

    @Test
    void a_payment_made_while_redis_is_frozen_is_answered_as_paid_and_replayed_once_redis_is_back() throws Exception {
        stripe.createsPaymentIntentsAnsweringAfter(Duration.ofSeconds(2));
        String id = uniqueId("evt_frozen");
        try (LocalRedisServer redis = LocalRedisServer.start()) {
            Map<String, String> env = onStripe("REDIS_URL", redis.url(), "REDIS_COMMAND_TIMEOUT", "500ms");
            try (ServiceProcess payer = ServiceProcess.start(env); ServiceProcess other = ServiceProcess.start(env)) {
                CompletableFuture<HttpResponse<String>> answer = payer.postJsonAsync(event(id, 1200));
                await().atMost(Duration.ofSeconds(30)).until(() -> stripe.paymentIntentsCreated() == 1);
                redis.freeze();
                HttpResponse<String> paid;
                try {
                    paid = answer.get(20, TimeUnit.SECONDS);
                } finally {
                    redis.thaw();
                }
                long thawed = System.nanoTime();

                assertEquals(200, paid.statusCode(), paid.body());
                String transaction = json(paid).get("transaction_id").asText();
                assertTrue(transaction.startsWith("pi_"), paid.body());
                assertTrue(payer.output().lines().anyMatch(line -> line.contains("ERROR") && line.contains(id)
                        && line.contains(transaction)), "an ERROR line names the event and its transaction");

                HttpResponse<String> replay = await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> other.postJson(event(id, 1200)), response -> response.statusCode() == 200);
                long replayedAfterMillis = Duration.ofNanos(System.nanoTime() - thawed).toMillis();

                assertEquals("already_processed", json(replay).get("status").asText(), replay.body());
                assertEquals(transaction, json(replay).get("transaction_id").asText());
                assertTrue(replayedAfterMillis < 5_000, "replayed " + replayedAfterMillis + " ms after Redis resumed");
                assertEquals(1, stripe.requestCount(), "gateway calls");
                assertEquals(1, stripe.paymentIntentsCreated(), "payments at the provider");
                assertEquals(1.0, payer.metric("idempotency_late_writes_total"));
                assertEquals(0.0, payer.metric("idempotency_pending_completions"));
            }
        }
    }

    @Test
    void claims_and_completions_whose_replies_are_lost_on_a_cluster_are_retried_without_locking_out_their_sender() {
        stripe.createsPaymentIntents();
        String id = uniqueId("evt_lost");
        int nodePort = Ports.free();
        try (LossyProxy proxy = LossyProxy.to(new RedisAddress("127.0.0.1", nodePort));
             LocalRedisCluster cluster = LocalRedisCluster.oneNode(nodePort, proxy.port());
             ServiceProcess service = ServiceProcess.start(onStripe("REDIS_CLUSTER_NODES", proxy.address().toString()))) {
            assertEquals(200, service.postJson(event(uniqueId("evt_warm"), 100)).statusCode());
            proxy.loseRepliesTo("webhook:" + id, 2);

            HttpResponse<String> response = service.postJson(event(id, 1000));

            assertEquals(200, response.statusCode(), response.body());
            assertEquals("success", json(response).get("status").asText());
            assertEquals(2, proxy.repliesLost(), "the claim's and the completion's replies were lost");
            assertEquals(0.0, service.metric("idempotency_fencing_rejections_total"));
            HttpResponse<String> replay = service.postJson(event(id, 1000));
            assertEquals("already_processed", json(replay).get("status").asText(), replay.body());
            assertEquals(2, stripe.paymentIntentsCreated(), "payments: the warm-up and this event, once each");
            assertEquals(2, stripe.requestCount());
        }
    }

    @Test
    void an_evicting_redis_is_named_at_start_up_and_an_evicted_record_costs_a_second_call_but_not_a_second_payment() {
        stripe.createsPaymentIntents();
        String id = uniqueId("evt_evicted");
        try (LocalRedisServer redis = LocalRedisServer.start("--maxmemory", "4mb", "--maxmemory-policy", "volatile-lru");
             ServiceProcess service = ServiceProcess.start(onStripe("REDIS_URL", redis.url()))) {
            assertTrue(service.output().contains("maxmemory-policy is volatile-lru"), service.output());
            assertTrue(service.output().contains("charged again"), service.output());
            JsonNode ready = json(service.get("/health/ready"));
            assertEquals("volatile-lru", ready.get("store").get("maxmemory_policy").asText());
            assertEquals(1, ready.get("warnings").size());
            assertEquals(1.0, service.metric("idempotency_store_may_evict"));

            HttpResponse<String> paid = service.postJson(event(id, 1000));
            String transaction = json(paid).get("transaction_id").asText();
            evict(redis, "webhook:" + id);
            HttpResponse<String> afterEviction = service.postJson(event(id, 1000));

            assertEquals("success", json(afterEviction).get("status").asText(), "the record was gone");
            assertEquals(transaction, json(afterEviction).get("transaction_id").asText());
            assertEquals(2, stripe.requestCount(), "gateway calls: the eviction cost a second one");
            assertEquals(1, stripe.paymentIntentsCreated(), "payments: the idempotency key covered it");
        }
    }

    @Test
    void a_redis_restart_without_persistence_forgets_payments_and_with_aof_keeps_them() throws Exception {
        stripe.createsPaymentIntents();
        try (LocalRedisServer volatileRedis = LocalRedisServer.start();
             ServiceProcess service = ServiceProcess.start(onStripe("REDIS_URL", volatileRedis.url()))) {
            String id = uniqueId("evt_restart");
            service.postJson(event(id, 1000));
            volatileRedis.restart();

            HttpResponse<String> after = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> service.postJson(event(id, 1000)), response -> response.statusCode() == 200);

            assertEquals("success", json(after).get("status").asText(), "the record was lost with Redis's memory");
            assertEquals(2, stripe.requestCount(), "gateway calls");
            assertEquals(1, stripe.paymentIntentsCreated(), "payments");
        }
        stripe.reset();
        stripe.createsPaymentIntents();
        try (LocalRedisServer durable = LocalRedisServer.start("--appendonly", "yes", "--appendfsync", "everysec");
             ServiceProcess service = ServiceProcess.start(onStripe("REDIS_URL", durable.url()))) {
            String id = uniqueId("evt_aof");
            service.postJson(event(id, 1000));
            durable.restart();

            HttpResponse<String> after = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> service.postJson(event(id, 1000)), response -> response.statusCode() == 200);

            assertEquals("already_processed", json(after).get("status").asText(), "the record survived the restart");
            assertEquals(1, stripe.requestCount(), "gateway calls");
            assertEquals(1, stripe.paymentIntentsCreated(), "payments");
        }
    }

    @Test
    void a_flood_of_unsigned_requests_cannot_starve_a_signed_sender() throws Exception {
        String secret = StandardSender.newSecret();
        StandardSender sender = new StandardSender(secret);
        try (ServiceProcess service = ServiceProcess.start(Map.of("WEBHOOK_SECRETS", secret, "RATE_LIMIT", "50/1s"))) {
            Flood flood = Flood.of(service, 16);
            int accepted = 0;
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> flood.sent() > 200);
                for (int i = 0; i < 20; i++) {
                    String id = uniqueId("evt_signed");
                    HttpResponse<String> response = service.send(sender.signed(service.uri("/webhooks"), id,
                            java.time.Instant.now(), "{\"amount\":1000}"));
                    if (response.statusCode() == 200) {
                        accepted++;
                    }
                    Thread.sleep(100);
                }
            } finally {
                flood.stop();
            }

            assertTrue(flood.sent() > 1_000, "the flood sent " + flood.sent());
            assertEquals(20, accepted, "signed requests accepted during the flood");
            assertEquals(20.0, service.metric("payment_gateway_seconds_count", "result=\"charged\""), "payments");
        }
    }

    /** Waits until Redis's clock has passed the lease end stored in the claim at {@code key}. */
    private static void awaitLeaseEnd(LocalRedisServer redis, String key) {
        try (Jedis jedis = redis.direct()) {
            String claim = jedis.get(key);
            assertTrue(claim != null && claim.startsWith("1P"), "a claim is stored: " + claim);
            long leaseEnd = Long.parseLong(claim.substring(35));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<String> time = jedis.time();
                return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000 > leaseEnd;
            });
        }
    }

    /** Fills Redis with expiring keys until the eviction policy has dropped {@code key}. */
    private static void evict(LocalRedisServer redis, String key) {
        try (Jedis jedis = redis.direct()) {
            String filler = "x".repeat(1024);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO).until(() -> {
                for (int i = 0; i < 200; i++) {
                    jedis.setex("filler:" + UUID.randomUUID(), 3600, filler);
                }
                return !jedis.exists(key);
            });
        }
    }
}
