package dev.payhook.redis;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimResult;
import dev.payhook.domain.EventId;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.StoredRecord;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The idempotency store on Redis or Redis Cluster: one key per event ({@code <prefix><event id>}),
 * every operation one Lua script on that one key, so it is atomic and runs unchanged on a cluster.
 * Lease ends are read from the Redis clock, so all instances agree on them. Any Redis trouble becomes
 * {@link IdempotencyStoreUnavailable}.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

    public static final String DEFAULT_KEY_PREFIX = "webhook:";

    private static final LuaScript CLAIM = LuaScript.fromResource("claim.lua");
    private static final LuaScript FENCED_WRITE = LuaScript.fromResource("fenced_write.lua");
    private static final LuaScript FIND = LuaScript.fromResource("find.lua");

    private final RedisConnection connection;
    private final String keyPrefix;

    public RedisIdempotencyStore(RedisConnection connection, String keyPrefix) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public ClaimResult claim(EventId key, Claim claim) {
        return call("claim", () -> {
            Object answer = CLAIM.run(connection.client(), key(key),
                    claim.fingerprint().value(), claim.token().value(),
                    Long.toString(millis(claim.lease())), Long.toString(claim.expiredRetention().toMillis()));
            if (answer instanceof Long takeover) {
                return new ClaimResult.Claimed(takeover == 1L);
            }
            return new ClaimResult.Existing(stored(answer));
        });
    }

    @Override
    public boolean complete(EventId key, Claim claim, IdempotencyRecord.Terminal record, Duration ttl) {
        String value = RecordCodec.encode(record);
        return Long.valueOf(1).equals(call("complete", () -> FENCED_WRITE.run(connection.client(), key(key),
                claim.token().value(), value, Long.toString(millis(ttl)))));
    }

    @Override
    public boolean release(EventId key, Claim claim) {
        return Long.valueOf(1).equals(call("release", () -> FENCED_WRITE.run(connection.client(), key(key),
                claim.token().value(), "", "0")));
    }

    @Override
    public Optional<StoredRecord> find(EventId key) {
        return call("find", () -> {
            Object answer = FIND.run(connection.client(), key(key));
            return answer == null ? Optional.<StoredRecord>empty() : Optional.of(stored(answer));
        });
    }

    @Override
    public void ping() {
        call("ping", () -> connection.client().ping());
    }

    /** Closes the connection this store was given: the store is its last user. */
    @Override
    public void close() {
        connection.close();
    }

    private String key(EventId eventId) {
        return keyPrefix + eventId.value();
    }

    private static StoredRecord stored(Object answer) {
        List<?> pair = (List<?>) answer;
        long remainingMillis = (Long) pair.get(1);
        return new StoredRecord(RecordCodec.decode((String) pair.get(0)), Duration.ofMillis(Math.max(0, remainingMillis)));
    }

    private static long millis(Duration duration) {
        return Math.max(1, duration.toMillis());
    }

    private <T> T call(String operation, Supplier<T> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            // Connection refused, timeout, pool exhausted, cluster down, unreadable value: all mean the
            // store cannot be trusted to answer, so nothing may be paid.
            throw new IdempotencyStoreUnavailable("redis " + operation + " failed on " + connection.description()
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
