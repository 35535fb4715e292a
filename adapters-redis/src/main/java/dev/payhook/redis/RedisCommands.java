package dev.payhook.redis;

import java.util.List;

/**
 * The few Redis commands this adapter sends, over whichever client suits the deployment. Every method
 * throws Jedis's exceptions as they come; the store decides what they mean.
 */
interface RedisCommands extends AutoCloseable {

    Object evalsha(String sha1, String key, List<String> args);

    Object eval(String script, String key, List<String> args);

    void ping();

    /**
     * One step of a walk over the keys matching {@code match}: about {@code count} keys are looked at, and the
     * returned cursor continues the walk ({@code "0"} starts it, and ends it when returned). On a cluster the
     * walk covers every primary in turn.
     */
    KeyScan scan(String cursor, String match, int count);

    /** The values of {@code keys}, in order; null where a key is gone. */
    List<String> values(List<String> keys);

    /** {@code INFO <section>} of every server the client knows (on a cluster, every node). */
    List<String> info(String section);

    @Override
    void close();

    /** The keys one scan step found, and where the walk goes on ({@code "0"}: it is done). */
    record KeyScan(List<String> keys, String next) {
    }
}
