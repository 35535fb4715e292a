package dev.payhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.payhook.domain.Claim;
import dev.payhook.domain.ClaimResult;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.IdempotencyPolicy;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.TransactionId;
import dev.payhook.redis.RedisConnection;
import dev.payhook.redis.RedisEndpoint;
import dev.payhook.redis.RedisIdempotencyStore;
import dev.payhook.redis.RedisSettings;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The floor of this design for {@code scripts/benchmark.sh}: Javalin on virtual threads plus the production
 * {@link RedisIdempotencyStore}, doing per webhook exactly the store calls payhook makes (claim, then the
 * fenced completion) and nothing else: no processor, gateway, metrics, logs or validation beyond reading
 * the JSON. It calls the store rather than copying its scripts, so it follows every change to them, and the
 * ratio of payhook to this server is the cost of payhook's own code.
 *
 * <p>Arguments: the port, the Redis URL, and optionally the milliseconds to sleep between the claim and
 * the completion (the benchmark's slow-gateway mode).
 */
public final class FloorServer {

    private static final IdempotencyPolicy POLICY = IdempotencyPolicy.DEFAULT;
    private static final Currency CURRENCY = Currency.of("USD");
    private static final Base64.Encoder TOKEN_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final IdempotencyStore store;
    private final Duration pause;

    private FloorServer(IdempotencyStore store, Duration pause) {
        this.store = store;
        this.pause = pause;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        RedisConnection connection = RedisConnection.open(RedisSettings.defaults(RedisEndpoint.fromUrl(args[1])));
        Duration pause = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 0);
        FloorServer floor = new FloorServer(new RedisIdempotencyStore(connection,
                RedisIdempotencyStore.DEFAULT_KEY_PREFIX), pause);
        Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.post("/webhooks", floor::receive);
            config.routes.get("/health/ready", ctx -> {
                floor.store.check();
                BenchJson.answer(ctx, 200, Map.of("status", "UP"));
            });
        }).start(port);
    }

    private void receive(Context ctx) throws Exception {
        JsonNode event = BenchJson.read(ctx.bodyAsBytes());
        EventId id = new EventId(event.get("event_id").textValue());
        long amount = event.get("amount").longValue();
        Fingerprint fingerprint = Fingerprint.of(amount, CURRENCY);
        Claim claim = POLICY.claimFor(fingerprint, token());
        switch (store.claim(id, claim)) {
            case ClaimResult.Existing existing -> answerFrom(ctx, id, existing.stored().record());
            case ClaimResult.Claimed ignored -> {
                if (!pause.isZero()) {
                    Thread.sleep(pause);
                }
                TransactionId transaction = new TransactionId("txn_" + amount);
                store.complete(id, claim, new IdempotencyRecord.Succeeded(fingerprint, transaction),
                        POLICY.successTtl());
                BenchJson.answer(ctx, 200, Map.of("status", "success", "transaction_id", transaction.value()));
            }
        }
    }

    private static void answerFrom(Context ctx, EventId id, IdempotencyRecord record) throws Exception {
        if (record instanceof IdempotencyRecord.Succeeded succeeded) {
            BenchJson.answer(ctx, 200, Map.of("status", "already_processed", "event_id", id.value(),
                    "transaction_id", succeeded.transactionId().value()));
        } else {
            BenchJson.answer(ctx, 409, Map.of("status", "in_progress", "event_id", id.value()));
        }
    }

    /** Random enough to tell claims apart, from the thread's own generator as payhook's are. */
    private static ClaimToken token() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return new ClaimToken(TOKEN_ENCODER.encodeToString(bytes));
    }
}
