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

    /** {@code INFO <section>} of every server the client knows (on a cluster, every node). */
    List<String> info(String section);

    @Override
    void close();
}
