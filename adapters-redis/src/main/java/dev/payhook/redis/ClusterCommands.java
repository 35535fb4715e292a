package dev.payhook.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;

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
