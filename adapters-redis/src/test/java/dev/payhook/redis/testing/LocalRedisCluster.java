package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster of three masters, each a local {@code redis-server}, joined with {@code redis-cli --cluster
 * create}; optionally with one replica per master, to be promoted when its master is killed.
 */
public final class LocalRedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    /** With replicas: how long a master may be silent before the cluster fails it over. */
    public static final Duration FAILOVER_NODE_TIMEOUT = Duration.ofSeconds(1);

    private final List<LocalRedisServer> nodes;
    private final int replicasPerMaster;

    private LocalRedisCluster(List<LocalRedisServer> nodes, int replicasPerMaster) {
        this.nodes = nodes;
        this.replicasPerMaster = replicasPerMaster;
    }

    public static LocalRedisCluster start() {
        return start(0, Duration.ofSeconds(2));
    }

    /** Three masters and three replicas, a master failed over after {@link #FAILOVER_NODE_TIMEOUT}. */
    public static LocalRedisCluster startWithReplicas() {
        return start(1, FAILOVER_NODE_TIMEOUT);
    }

    private static LocalRedisCluster start(int replicasPerMaster, Duration nodeTimeout) {
        LocalRedisServer.requireInstalled();
        List<LocalRedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS * (1 + replicasPerMaster); i++) {
                int port = Ports.free();
                // No 5 s pause before a replica's first sync.
                nodes.add(LocalRedisServer.start(port, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                        "--repl-diskless-sync-delay", "0")));
            }
            LocalRedisCluster cluster = new LocalRedisCluster(nodes, replicasPerMaster);
            cluster.create();
            cluster.awaitOk();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(LocalRedisServer::close);
            throw e;
        }
    }

    /**
     * A cluster of one node holding every slot, which tells clients to reach it on {@code announcedPort}
     * (a proxy's, say) instead of its own {@code port}.
     */
    public static LocalRedisCluster oneNode(int port, int announcedPort) {
        LocalRedisServer.requireInstalled();
        LocalRedisServer node = LocalRedisServer.start(port, List.of("--cluster-enabled", "yes",
                "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "2000",
                "--cluster-announce-ip", "127.0.0.1", "--cluster-announce-port", Integer.toString(announcedPort)));
        try (Jedis jedis = RedisServer.direct(node.address(), 2000)) {
            jedis.clusterAddSlotsRange(0, 16383);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        LocalRedisCluster cluster = new LocalRedisCluster(List.of(node), 0);
        cluster.awaitOk();
        return cluster;
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add(node.address().toString()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitOk() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (nodes.stream().allMatch(node -> reportsOk(node, nodes.size()))
                    && masters().size() == nodes.size() / (1 + replicasPerMaster)
                    && masters().stream().allMatch(this::replicated)) {
                return;
            }
            LocalRedisServer.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok within " + READY_TIMEOUT);
    }

    private static boolean reportsOk(LocalRedisServer node, int knownNodes) {
        try (Jedis jedis = RedisServer.direct(node.address(), 1000)) {
            String info = jedis.clusterInfo();
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + knownNodes);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code master} has all its replicas attached and in sync. */
    private boolean replicated(LocalRedisServer master) {
        String replication = replication(master.address());
        return replication.contains("connected_slaves:" + replicasPerMaster)
                && replication.split("state=online", -1).length - 1 == replicasPerMaster;
    }

    private static String replication(RedisAddress node) {
        try (Jedis jedis = RedisServer.direct(node, 1000)) {
            return jedis.info("replication");
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The running nodes that are masters now. */
    public List<LocalRedisServer> masters() {
        return nodes.stream().filter(node -> replication(node.address()).contains("role:master")).toList();
    }

    /** The hash slots {@code master} serves, from its own {@code CLUSTER NODES} line. */
    public BitSet slotsOf(LocalRedisServer master) {
        BitSet slots = new BitSet(16_384);
        try (Jedis jedis = RedisServer.direct(master.address(), 1000)) {
            String myself = jedis.clusterNodes().lines().filter(line -> line.contains("myself")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(master.address() + " does not list itself"));
            String[] fields = myself.split(" ");
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = fields[i].split("-");
                slots.set(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]) + 1);
            }
        }
        return slots;
    }

    /** The node replicating {@code master} (with one replica per master). */
    public LocalRedisServer replicaOf(LocalRedisServer master) {
        String replication = replication(master.address());
        return nodes.stream().filter(node -> replication.contains("port=" + node.port() + ","))
                .findFirst().orElseThrow(() -> new IllegalStateException(master.address() + " has no replica"));
    }

    /**
     * Waits until {@code replica} is a master and every running node reports {@code cluster_state:ok}
     * again (after its master was killed).
     */
    public void awaitPromotion(LocalRedisServer replica, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (replication(replica.address()).contains("role:master")
                    && nodes.stream().filter(LocalRedisServer::running).allMatch(node -> reportsOk(node, nodes.size()))) {
                return;
            }
            LocalRedisServer.sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException(replica.address() + " was not promoted within " + timeout + ":\n" + replica.log());
    }

    public List<RedisAddress> seeds() {
        return nodes.stream().map(LocalRedisServer::address).toList();
    }

    /** {@code host:port,host:port,host:port}, the form of REDIS_CLUSTER_NODES. */
    public String nodesVariable() {
        return nodes.stream().map(node -> node.address().toString()).collect(Collectors.joining(","));
    }

    public List<LocalRedisServer> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public void close() {
        nodes.forEach(LocalRedisServer::close);
    }
}
