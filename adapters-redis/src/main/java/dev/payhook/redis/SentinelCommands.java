package dev.payhook.redis;

import java.util.List;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Commands to the primary of a Sentinel setup, through Jedis's Sentinel client, which follows failovers. */
final class SentinelCommands implements RedisCommands {

    private final RedisSentinelClient client;

    SentinelCommands(RedisSentinelClient client) {
        this.client = client;
    }

    RedisSentinelClient client() {
        return client;
    }

    @Override
    public Object evalsha(String sha1, String key, List<String> args) {
        return client.evalsha(sha1, List.of(key), args);
    }

    @Override
    public Object eval(String script, String key, List<String> args) {
        return client.eval(script, List.of(key), args);
    }

    @Override
    public void ping() {
        client.ping();
    }

    @Override
    public KeyScan scan(String cursor, String match, int count) {
        ScanResult<String> step = client.scan(cursor, new ScanParams().match(match).count(count));
        return new KeyScan(step.getResult(), step.getCursor());
    }

    @Override
    public List<String> values(List<String> keys) {
        return keys.isEmpty() ? List.of() : client.mget(keys.toArray(String[]::new));
    }

    @Override
    public List<String> info(String section) {
        return List.of(client.info(section));
    }

    @Override
    public void close() {
        client.close();
    }
}
