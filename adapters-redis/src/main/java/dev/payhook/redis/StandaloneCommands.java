package dev.payhook.redis;

import java.util.List;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Commands to one Redis server over one {@link PipelinedConnection}. */
final class StandaloneCommands implements RedisCommands {

    private final PipelinedConnection connection;
    private final CommandObjects commands = new CommandObjects(RedisProtocol.RESP2);

    StandaloneCommands(PipelinedConnection connection) {
        this.connection = connection;
    }

    @Override
    public Object evalsha(String sha1, String key, List<String> args) {
        return connection.execute(commands.evalsha(sha1, List.of(key), args));
    }

    @Override
    public Object eval(String script, String key, List<String> args) {
        return connection.execute(commands.eval(script, List.of(key), args));
    }

    @Override
    public void ping() {
        connection.execute(commands.ping());
    }

    @Override
    public KeyScan scan(String cursor, String match, int count) {
        ScanResult<String> step = connection.execute(commands.scan(cursor, new ScanParams().match(match).count(count)));
        return new KeyScan(step.getResult(), step.getCursor());
    }

    @Override
    public List<String> values(List<String> keys) {
        return keys.isEmpty() ? List.of() : connection.execute(commands.mget(keys.toArray(String[]::new)));
    }

    @Override
    public List<String> info(String section) {
        return List.of(connection.execute(commands.info(section)));
    }

    @Override
    public void close() {
        connection.close();
    }
}
