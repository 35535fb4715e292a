package dev.payhook.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.SafeEncoder;

/** Commands to a Redis Cluster through Jedis's cluster client, which routes by slot and follows moves. */
final class ClusterCommands implements RedisCommands {

    private final RedisClusterClient cluster;
    private final CommandObjects commands = new CommandObjects(RedisProtocol.RESP2);

    ClusterCommands(RedisClusterClient cluster) {
        this.cluster = cluster;
    }

    RedisClusterClient client() {
        return cluster;
    }

    @Override
    public Object evalsha(String sha1, String key, List<String> args) {
        return cluster.evalsha(sha1, List.of(key), args);
    }

    @Override
    public Object eval(String script, String key, List<String> args) {
        return cluster.eval(script, List.of(key), args);
    }

    @Override
    public void ping() {
        cluster.ping();
    }

    /** The cursor is {@code <primary index>:<that primary's cursor>}, primaries ordered by address. */
    @Override
    public KeyScan scan(String cursor, String match, int count) {
        List<Map.Entry<String, ConnectionPool>> primaries = primaries();
        int node = 0;
        String nodeCursor = "0";
        if (!cursor.equals("0")) {
            int colon = cursor.indexOf(':');
            node = Integer.parseInt(cursor.substring(0, colon));
            nodeCursor = cursor.substring(colon + 1);
        }
        if (node >= primaries.size()) {
            return new KeyScan(List.of(), "0");
        }
        try (Connection connection = primaries.get(node).getValue().getResource()) {
            ScanResult<String> step = connection.executeCommand(
                    commands.scan(nodeCursor, new ScanParams().match(match).count(count)));
            String next = !step.isCompleteIteration() ? node + ":" + step.getCursor()
                    : node + 1 < primaries.size() ? (node + 1) + ":0" : "0";
            return new KeyScan(step.getResult(), next);
        }
    }

    @Override
    public List<String> values(List<String> keys) {
        // Keys of one page live in different slots: one routed GET each.
        return keys.stream().map(cluster::get).toList();
    }

    private List<Map.Entry<String, ConnectionPool>> primaries() {
        List<Map.Entry<String, ConnectionPool>> primaries = new ArrayList<>();
        for (Map.Entry<String, ConnectionPool> node : new TreeMap<>(cluster.getClusterNodes()).entrySet()) {
            try (Connection connection = node.getValue().getResource()) {
                List<?> role = (List<?>) connection.executeCommand(Protocol.Command.ROLE);
                if ("master".equals(SafeEncoder.encode((byte[]) role.getFirst()))) {
                    primaries.add(node);
                }
            }
        }
        return primaries;
    }

    @Override
    public List<String> info(String section) {
        List<String> answers = new ArrayList<>();
        for (ConnectionPool node : cluster.getClusterNodes().values()) {
            try (Connection connection = node.getResource()) {
                answers.add(connection.executeCommand(commands.info(section)));
            }
        }
        return answers;
    }

    @Override
    public void close() {
        cluster.close();
    }
}
