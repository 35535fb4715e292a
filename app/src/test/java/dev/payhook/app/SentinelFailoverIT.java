package dev.payhook.app;

import dev.payhook.payment.fixtures.StripeStandIn;
import dev.payhook.redis.RedisAddress;
import dev.payhook.redis.testing.LocalRedisSentinel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis Sentinel failover under load: two instances of the packaged jar on a primary, a replica and three
 * sentinels, paying through the Stripe stand-in; the primary is killed with SIGKILL in the middle.
 */
class SentinelFailoverIT {

    /**
     * From the kill to the first new event paid on each instance: down-after (1 s), the sentinels' agreement
     * and election, the promotion and the switch message, typically 2–3 s. When the votes split, the
     * sentinels elect again 2 × failover-timeout (6 s) after the first try; the bound allows two such
     * retries on a busy 2-core machine.
     */
    private static final Duration FOLLOW_BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    @Test
    void killing_the_primary_under_load_promotes_the_replica_both_instances_follow_and_every_event_is_paid_once()
            throws Exception {
        stripe.createsPaymentIntents();
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.start()) {
            Map<String, String> env = new HashMap<>(FailoverWorkload.stripeEnvironment(stripe));
            env.put("REDIS_SENTINELS", sentinel.sentinelsVariable());
            env.put("REDIS_SENTINEL_MASTER", LocalRedisSentinel.MASTER_NAME);
            try (ServiceProcess a = ServiceProcess.start(env); ServiceProcess b = ServiceProcess.start(env)) {
                AtomicReference<RedisAddress> killed = new AtomicReference<>();

                FailoverWorkload workload = new FailoverWorkload(stripe, a, b).run(
                        () -> killed.set(sentinel.killPrimary()),
                        () -> sentinel.awaitPromotion(killed.get(), FOLLOW_BOUND),
                        FOLLOW_BOUND, everyEvent -> true);

                workload.assertInvariants(FOLLOW_BOUND, true, "sentinel failover");
            }
        }
    }
}
