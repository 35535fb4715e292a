package dev.payhook.app;

import dev.payhook.domain.Currency;
import dev.payhook.domain.IdempotencyPolicy;
import dev.payhook.domain.InvalidEventException;
import dev.payhook.http.AdminSettings;
import dev.payhook.http.HttpSettings;
import dev.payhook.redis.RedisEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, read from environment variables (docs/configuration.md) and validated
 * before anything starts. Each adapter later receives only its own part.
 */
public record ServiceConfig(
        HttpSettings http,
        IdempotencyPolicy policy,
        StoreConfig store,
        GatewayConfig gateway,
        String logFormat,
        EdgeConfig edge,
        Optional<AdminSettings> admin) {

    static final List<String> LOG_FORMATS = List.of("text", "json");
    /** Room in a lease beyond its worker's worst case: scheduling pauses, clock steps, GC. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(1);
    /** The default lease on a cluster, where a store operation may take up to six command timeouts. */
    static final Duration CLUSTER_LEASE_TTL = Duration.ofSeconds(40);

    /** Reads and validates {@code variables}; throws {@link ConfigException} listing every problem. */
    public static ServiceConfig from(Map<String, String> variables) {
        return from(new Env(variables));
    }

    /** Reads through {@code env}, which then knows every variable read and what it was read as. */
    static ServiceConfig from(Env env) {
        int port = env.integer("PORT", 8080, 0, 65_535);
        int maxBodyBytes = env.integer("MAX_BODY_BYTES", HttpSettings.DEFAULT_MAX_BODY_BYTES, 64, 16 * 1024 * 1024);
        Currency currency = currency(env);
        Duration drainDelay = env.durationOrZero("DRAIN_DELAY", Duration.ofSeconds(5));
        Duration drain = env.duration("SHUTDOWN_TIMEOUT", Duration.ofSeconds(30));

        Duration successTtl = env.duration("SUCCESS_TTL", IdempotencyPolicy.DEFAULT.successTtl());
        Duration failureTtl = env.duration("FAILURE_TTL", IdempotencyPolicy.DEFAULT.failureTtl());
        Duration reconcileAfter = env.duration("RECONCILE_AFTER", IdempotencyPolicy.DEFAULT_RECONCILE_AFTER);

        GatewayConfig gateway = GatewayConfig.read(env);
        String logFormat = logFormat(env);
        StoreConfig store = StoreConfig.read(env);
        EdgeConfig edge = EdgeConfig.read(env, store);
        Duration leaseTtl = env.duration("LEASE_TTL", store instanceof StoreConfig.Redis redis
                && redis.settings().endpoint() instanceof RedisEndpoint.Cluster
                ? CLUSTER_LEASE_TTL : IdempotencyPolicy.DEFAULT.leaseTtl());

        Optional<AdminSettings> admin = AdminConfig.read(env, port, currency);
        checkLeaseBudget(env, leaseTtl, gateway.timeout(), store);
        env.throwIfInvalid();

        return new ServiceConfig(
                new HttpSettings(port, maxBodyBytes, currency, drainDelay, drain),
                new IdempotencyPolicy(successTtl, failureTtl, leaseTtl, reconcileAfter),
                store,
                gateway,
                logFormat,
                edge,
                admin);
    }

    /**
     * A lease must outlast everything its worker does while holding it: the claim's answer on its way back,
     * asking the provider about an unknown outcome, the charge, and the completion, each at its worst, plus a
     * margin for clocks and pauses. A lease that ends sooner lets a second worker take over while the first
     * may still pay and record.
     */
    private static void checkLeaseBudget(Env env, Duration leaseTtl, Duration paymentTimeout, StoreConfig store) {
        Duration storeWorstCase = store.worstCaseOperation();
        Duration needed = paymentTimeout.multipliedBy(2).plus(storeWorstCase.multipliedBy(2)).plus(LEASE_MARGIN);
        if (leaseTtl.compareTo(needed) > 0) {
            return;
        }
        String storePart = store instanceof StoreConfig.Redis redis
                ? " + 2 x " + storeWorstCase.toMillis() + " ms (claim and completion, each at most "
                + redis.settings().worstCaseExplained() + ")"
                : "";
        env.problem("LEASE_TTL", "must be longer than " + needed.toMillis() + " ms = 2 x PAYMENT_TIMEOUT "
                + paymentTimeout.toMillis() + " ms (a lookup and a charge)" + storePart + " + "
                + LEASE_MARGIN.toMillis() + " ms margin; LEASE_TTL is " + leaseTtl.toMillis() + " ms");
    }

    /** The log format {@code LOG_FORMAT} names, or text when it is unset or names none. */
    static String logFormat(Map<String, String> variables) {
        return logFormat(new Env(variables));
    }

    private static String logFormat(Env env) {
        return env.choice("LOG_FORMAT", "text", LOG_FORMATS);
    }

    private static Currency currency(Env env) {
        String code = env.text("DEFAULT_CURRENCY", "USD");
        try {
            return Currency.of(code);
        } catch (InvalidEventException e) {
            env.problem("DEFAULT_CURRENCY", "'" + code + "' is not a three-letter ISO 4217 code");
            return Currency.of("USD");
        }
    }
}
