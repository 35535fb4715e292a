package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/** A Redis Cluster of three masters, each a local {@code redis-server}, joined with {@code redis-cli --cluster create}. */
public final class LocalRedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final List<LocalRedisServer> nodes;

    private LocalRedisCluster(List<LocalRedisServer> nodes) {
        this.nodes = nodes;
    }

    public static LocalRedisCluster start() {
        LocalRedisServer.requireInstalled();
        List<LocalRedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                int port = Ports.free();
                nodes.add(LocalRedisServer.start(port, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "2000")));
            }
            LocalRedisCluster cluster = new LocalRedisCluster(nodes);
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
        LocalRedisCluster cluster = new LocalRedisCluster(List.of(node));
        cluster.awaitOk();
        return cluster;
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add(node.address().toString()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
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
            if (nodes.stream().allMatch(LocalRedisCluster::reportsOk)) {
                return;
            }
            LocalRedisServer.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok within " + READY_TIMEOUT);
    }

    private static boolean reportsOk(LocalRedisServer node) {
        try (Jedis jedis = RedisServer.direct(node.address(), 1000)) {
            return jedis.clusterInfo().contains("cluster_state:ok");
        } catch (RuntimeException e) {
            return false;
        }
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
