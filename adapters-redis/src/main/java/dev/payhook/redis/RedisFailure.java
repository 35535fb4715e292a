package dev.payhook.redis;

import dev.payhook.domain.IdempotencyStoreUnavailable.Kind;
import java.net.SocketTimeoutException;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * What a failed Redis call means, read from Jedis's exception and its causes: operators need "Redis
 * refused the password" or "Redis is a read-only replica", not "did not answer".
 */
record RedisFailure(Kind kind, String description) {

    static RedisFailure of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof JedisAccessControlException || message.startsWith("WRONGPASS")
                    || message.startsWith("NOAUTH")) {
                return new RedisFailure(Kind.AUTHENTICATION, "Redis refused the credentials (" + firstWord(message) + ")");
            }
            if (message.startsWith("READONLY")) {
                return new RedisFailure(Kind.READ_ONLY, "the server is a read-only replica (READONLY)");
            }
            if (cause instanceof JedisRedirectionException || cause instanceof JedisClusterException
                    || cause instanceof JedisClusterOperationException || message.startsWith("CLUSTERDOWN")) {
                return new RedisFailure(Kind.CLUSTER, "the cluster could not serve the key: " + message);
            }
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                    || cause instanceof NoSuchElementException) {
                return new RedisFailure(Kind.TIMEOUT, "no answer in time: " + message);
            }
        }
        if (error instanceof JedisConnectionException) {
            return new RedisFailure(Kind.CONNECTION, "connection failed: " + rootMessage(error));
        }
        return new RedisFailure(Kind.OTHER, error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    private static String firstWord(String message) {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
