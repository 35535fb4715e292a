package dev.payhook.redis;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimResult;
import dev.payhook.domain.EventId;
import dev.payhook.domain.HeldRecord;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.RecordPage;
import dev.payhook.domain.RecordState;
import dev.payhook.domain.StoreHealth;
import dev.payhook.domain.StoredRecord;
import dev.payhook.domain.StoredRecordUnreadable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The idempotency store on Redis or Redis Cluster: one key per event ({@code <prefix><event id>}),
 * every operation one Lua script on that one key, so it is atomic and runs unchanged on a cluster.
 * Lease ends are read from the Redis clock, so all instances agree on them. Redis trouble becomes
 * {@link IdempotencyStoreUnavailable} with its kind; a value that is not a record becomes
 * {@link StoredRecordUnreadable}.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

    public static final String DEFAULT_KEY_PREFIX = "webhook:";

    private static final LuaScript CLAIM = LuaScript.fromResource("claim.lua");
    private static final LuaScript FENCED_WRITE = LuaScript.fromResource("fenced_write.lua");
    private static final LuaScript INSPECT = LuaScript.fromResource("inspect.lua");
    private static final LuaScript REPLACE = LuaScript.fromResource("replace.lua");
    /** Keys one scan step looks at when listing; a page asks for more steps until it is full. */
    private static final int SCAN_COUNT = 1_000;
    private static final LuaScript MARK_UNKNOWN = LuaScript.fromResource("mark_unknown.lua");

    private final RedisConnection connection;
    private final String keyPrefix;

    public RedisIdempotencyStore(RedisConnection connection, String keyPrefix) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public ClaimResult claim(EventId key, Claim claim) {
        String redisKey = key(key);
        List<?> answer = (List<?>) call("claim", () -> CLAIM.run(connection.commands(), redisKey,
                claim.fingerprint().value(), claim.token().value(),
                Long.toString(millis(claim.lease())), Long.toString(claim.expiredRetention().toMillis())));
        if (!(answer.getFirst() instanceof Long kind)) {
            return new ClaimResult.Existing(stored(redisKey, answer));
        }
        int attempt = ((Long) answer.get(1)).intValue();
        if (kind == 2L) {
            if (!(decode(redisKey, (String) answer.get(2)) instanceof IdempotencyRecord.Unknown unknown)) {
                throw new StoredRecordUnreadable(redisKey, "the claim script took over a value it did not understand");
            }
            return ClaimResult.Claimed.reconciling(unknown);
        }
        return new ClaimResult.Claimed(kind == 1L, attempt, Optional.empty());
    }

    @Override
    public boolean complete(EventId key, Claim claim, IdempotencyRecord.Terminal record, Duration ttl) {
        String value = RecordCodec.encode(record);
        return Long.valueOf(1).equals(call("complete", () -> FENCED_WRITE.run(connection.commands(), key(key),
                claim.token().value(), value, Long.toString(millis(ttl)))));
    }

    @Override
    public boolean markUnknown(EventId key, Claim claim, IdempotencyRecord.Unknown record, Duration reconcileAfter,
                               Duration retention) {
        return Long.valueOf(1).equals(call("complete", () -> MARK_UNKNOWN.run(connection.commands(), key(key),
                claim.token().value(), record.fingerprint().value(), RecordCodec.unknownTail(record),
                Long.toString(millis(reconcileAfter)), Long.toString(millis(retention)))));
    }

    @Override
    public boolean release(EventId key, Claim claim) {
        return Long.valueOf(1).equals(call("release", () -> FENCED_WRITE.run(connection.commands(), key(key),
                claim.token().value(), "", "0")));
    }

    /** A claim whose lease ran out, or an unknown outcome that is due, no longer counts: not found. */
    @Override
    public Optional<StoredRecord> find(EventId key) {
        return inspect(key)
                .filter(held -> !held.remaining().isZero() || held.record() instanceof IdempotencyRecord.Terminal)
                .map(held -> new StoredRecord(held.record(), held.remaining()));
    }

    @Override
    public Optional<HeldRecord> inspect(EventId key) {
        String redisKey = key(key);
        Object answer = call("find", () -> INSPECT.run(connection.commands(), redisKey));
        if (answer == null) {
            return Optional.empty();
        }
        List<?> pair = (List<?>) answer;
        String value = (String) pair.get(0);
        return Optional.of(new HeldRecord(decode(redisKey, value), Duration.ofMillis(Math.max(0, (Long) pair.get(1))),
                value));
    }

    @Override
    public boolean replace(EventId key, String version, Optional<IdempotencyRecord.Terminal> replacement,
                           Duration ttl) {
        String value = replacement.map(RecordCodec::encode).orElse("");
        return Long.valueOf(1).equals(call("complete", () -> REPLACE.run(connection.commands(), key(key), version,
                value, Long.toString(millis(ttl)))));
    }

    /** The cursor is Redis's own SCAN cursor (per primary on a cluster); values are read a page at a time. */
    @Override
    public RecordPage list(RecordState state, Optional<String> cursor, int limit) {
        String statePrefix = "1" + switch (state) {
            case IN_PROGRESS -> 'P';
            case UNKNOWN -> 'U';
            case SUCCEEDED -> 'S';
            case DECLINED -> 'D';
            case FAILED -> 'F';
        };
        List<EventId> found = new ArrayList<>();
        String next = cursor.orElse("0");
        do {
            String from = next;
            RedisCommands.KeyScan step = call("find", () -> connection.commands().scan(from, glob(keyPrefix) + "*",
                    SCAN_COUNT));
            List<String> values = call("find", () -> connection.commands().values(step.keys()));
            for (int i = 0; i < step.keys().size(); i++) {
                String value = values.get(i);
                if (value != null && value.startsWith(statePrefix)) {
                    found.add(new EventId(step.keys().get(i).substring(keyPrefix.length())));
                }
            }
            next = step.next();
        } while (found.size() < limit && !next.equals("0"));
        return new RecordPage(found, next.equals("0") ? Optional.empty() : Optional.of(next));
    }

    /** {@code prefix} with the characters SCAN MATCH treats as patterns escaped. */
    private static String glob(String prefix) {
        StringBuilder escaped = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            if ("*?[]\\^".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /**
     * Pings, then reads {@code maxmemory-policy} from {@code INFO memory} (which managed Redis services
     * allow where {@code CONFIG} is disabled): any policy but {@code noeviction} may drop records that
     * still count, and a redelivery of an evicted event would be charged again.
     */
    @Override
    public StoreHealth check() {
        return call("ping", () -> {
            connection.commands().ping();
            TreeSet<String> policies = new TreeSet<>();
            for (String info : connection.commands().info("memory")) {
                policies.add(RedisInfo.field(info, "maxmemory_policy").orElse("unknown"));
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("store", connection.label());
            details.put("maxmemory_policy", String.join(",", policies));
            List<String> warnings = new ArrayList<>();
            boolean mayEvict = !policies.equals(new TreeSet<>(List.of("noeviction")));
            if (mayEvict) {
                warnings.add("Redis maxmemory-policy is " + String.join(",", policies) + ", not noeviction: when"
                        + " Redis reaches maxmemory it may evict payment records that still count, and a"
                        + " redelivery of an evicted event is charged again (only the provider's idempotency"
                        + " key window stands in between); set maxmemory-policy noeviction");
            }
            return new StoreHealth(details, warnings, mayEvict);
        });
    }

    /** Closes the connection this store was given: the store is its last user. */
    @Override
    public void close() {
        connection.close();
    }

    private String key(EventId eventId) {
        return keyPrefix + eventId.value();
    }

    private static StoredRecord stored(String redisKey, Object answer) {
        List<?> pair = (List<?>) answer;
        long remainingMillis = (Long) pair.get(1);
        return new StoredRecord(decode(redisKey, (String) pair.get(0)), Duration.ofMillis(Math.max(0, remainingMillis)));
    }

    private static IdempotencyRecord decode(String redisKey, String value) {
        try {
            return RecordCodec.decode(value);
        } catch (IllegalArgumentException e) {
            throw new StoredRecordUnreadable(redisKey, e.getMessage());
        }
    }

    private static long millis(Duration duration) {
        return Math.max(1, duration.toMillis());
    }

    private <T> T call(String operation, Supplier<T> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            RedisFailure failure = RedisFailure.of(e);
            throw new IdempotencyStoreUnavailable(failure.kind(), "redis " + operation + " failed on "
                    + connection.description() + ": " + failure.description(), e);
        }
    }
}
