package dev.payhook.redis;

import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.IdempotencyPolicy;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.TransactionId;
import dev.payhook.redis.testing.LocalRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/**
 * Measures what one SUCCEEDED record costs in Redis ({@code used_memory} growth per record) when
 * written through the adapter, next to the original service's {@code SET webhook:<id> success EX 86400}
 * for the same ids (33-byte keys). Run by {@code scripts/redis-memory-benchmark.sh}; a smaller run is a
 * test ({@code MemoryBudgetTest}).
 */
public final class MemoryFootprint {

    /** Bytes per record: ours, the original's, and their ratio. */
    public record Result(int records, double adapterBytes, double originalBytes) {
        public double ratio() {
            return adapterBytes / originalBytes;
        }

        @Override
        public String toString() {
            return String.format("records: %d%nadapter  (1S<fingerprint>txn_<amount>, PX 24h): %.1f bytes/record%n"
                    + "original (success, EX 86400):                %.1f bytes/record%nratio: %.3f (budget 1.25)",
                    records, adapterBytes, originalBytes, ratio());
        }
    }

    private MemoryFootprint() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (LocalRedisServer redis = LocalRedisServer.start()) {
            System.out.println(measure(redis, records));
        }
    }

    /** Flushes {@code redis} between the two runs: give it a server of its own. */
    public static Result measure(LocalRedisServer redis, int records) {
        try (Jedis jedis = redis.direct()) {
            jedis.flushAll();
            long empty = usedMemory(jedis);
            writeThroughAdapter(redis, records);
            long adapter = usedMemory(jedis) - empty;

            jedis.flushAll();
            long emptyAgain = usedMemory(jedis);
            writeOriginalFormat(jedis, records);
            long original = usedMemory(jedis) - emptyAgain;
            return new Result(records, (double) adapter / records, (double) original / records);
        }
    }

    /** 25-character ids, so keys are 33 bytes like the original measurement. */
    static EventId eventId(int i) {
        return new EventId(String.format("evt_%021d", i));
    }

    private static void writeThroughAdapter(LocalRedisServer redis, int records) {
        RedisSettings settings = RedisSettings.defaults(RedisEndpoint.fromUrl(redis.url()));
        Supplier<ClaimToken> tokens = ClaimToken.random();
        Fingerprint fingerprint = Fingerprint.of(1000, Currency.of("USD"));
        IdempotencyRecord.Succeeded succeeded = new IdempotencyRecord.Succeeded(fingerprint, new TransactionId("txn_1000"));
        try (RedisIdempotencyStore store = new RedisIdempotencyStore(RedisConnection.open(settings),
                RedisIdempotencyStore.DEFAULT_KEY_PREFIX);
             ExecutorService workers = Executors.newFixedThreadPool(8)) {
            List<Future<?>> batches = new ArrayList<>();
            int perWorker = (records + 7) / 8;
            for (int start = 0; start < records; start += perWorker) {
                int from = start;
                int to = Math.min(records, start + perWorker);
                batches.add(workers.submit(() -> {
                    for (int i = from; i < to; i++) {
                        Claim claim = IdempotencyPolicy.DEFAULT.claimFor(fingerprint, tokens.get());
                        store.claim(eventId(i), claim);
                        store.complete(eventId(i), claim, succeeded, Duration.ofHours(24));
                    }
                }));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("writing through the adapter failed", e);
        }
    }

    private static void writeOriginalFormat(Jedis jedis, int records) {
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < records; i++) {
            pipeline.set("webhook:" + eventId(i).value(), "success", SetParams.setParams().ex(86_400));
        }
        pipeline.sync();
    }

    private static long usedMemory(Jedis jedis) {
        for (String line : jedis.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }
}
