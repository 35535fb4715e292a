package dev.payhook.app;

import dev.payhook.payment.fixtures.StripeStandIn;
import dev.payhook.redis.testing.LocalRedisCluster;
import dev.payhook.redis.testing.LocalRedisServer;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Redis Cluster failover under load: two instances of the packaged jar on three masters and three replicas,
 * paying through the Stripe stand-in; one master is killed with SIGKILL in the middle.
 */
class ClusterFailoverIT {

    /**
     * From the kill to the first new event on the killed master's slots paid on each instance: the node
     * timeout (1 s), the failure reports, the replica's election and the client's slot refresh; bounded with
     * room for a busy machine.
     */
    private static final Duration FOLLOW_BOUND = Duration.ofSeconds(15);

    @RegisterExtension
    static final StripeStandIn stripe = StripeStandIn.start();

    @Test
    void killing_a_master_under_load_promotes_its_replica_both_instances_follow_the_slots_and_every_event_is_paid_once()
            throws Exception {
        stripe.createsPaymentIntents();
        try (LocalRedisCluster cluster = LocalRedisCluster.startWithReplicas()) {
            Map<String, String> env = new HashMap<>(FailoverWorkload.stripeEnvironment(stripe));
            env.put("REDIS_CLUSTER_NODES", cluster.nodesVariable());
            LocalRedisServer master = cluster.masters().getFirst();
            LocalRedisServer replica = cluster.replicaOf(master);
            // Only events whose key hashes to the killed master's slots wait for the failover.
            BitSet slots = cluster.slotsOf(master);
            Predicate<String> onKilledMaster = id -> slots.get(JedisClusterCRC16.getSlot("webhook:" + id));
            try (ServiceProcess a = ServiceProcess.start(env); ServiceProcess b = ServiceProcess.start(env)) {

                FailoverWorkload workload = new FailoverWorkload(stripe, a, b).run(
                        master::stop,
                        () -> cluster.awaitPromotion(replica, FOLLOW_BOUND),
                        FOLLOW_BOUND, onKilledMaster);

                // Other masters keep answering pings, so readiness need not drop for a cluster.
                workload.assertInvariants(FOLLOW_BOUND, false, "cluster failover");
            }
        }
    }
}
