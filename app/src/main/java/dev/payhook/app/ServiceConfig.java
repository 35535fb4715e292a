package dev.payhook.app;

import dev.payhook.domain.Currency;
import dev.payhook.domain.IdempotencyPolicy;
import dev.payhook.domain.InvalidEventException;
import dev.payhook.domain.RateLimit;
import dev.payhook.http.HttpSettings;
import dev.payhook.http.ServerLimits;
import dev.payhook.http.SignatureSettings;
import dev.payhook.http.WebhookSecret;
import dev.payhook.payment.CircuitBreakerSettings;
import dev.payhook.payment.SimulationSettings;
import dev.payhook.payment.StripeSettings;
import dev.payhook.redis.RedisEndpoint;
import dev.payhook.redis.RedisIdempotencyStore;
import dev.payhook.redis.RedisSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, read from environment variables (README, "Configuration") and validated
 * before anything starts. Each adapter later receives only its own part.
 */
public record ServiceConfig(
        HttpSettings http,
        IdempotencyPolicy policy,
        StoreConfig store,
        GatewayConfig gateway,
        String logFormat,
        EdgeConfig edge) {

    static final List<String> GATEWAYS = List.of("simulated", "stripe");
    static final List<String> LOG_FORMATS = List.of("text", "json");

    /** Which idempotency store to run on. */
    public sealed interface StoreConfig {
        /** The {@code store} label of metrics. */
        String label();

        /** The embedded default: one instance, nothing survives a restart. */
        record InMemory() implements StoreConfig {
            @Override
            public String label() {
                return "memory";
            }
        }

        /** Redis or Redis Cluster, shared by every instance; keys are {@code keyPrefix + event id}. */
        record Redis(RedisSettings settings, String keyPrefix) implements StoreConfig {
            @Override
            public String label() {
                return settings.endpoint() instanceof RedisEndpoint.Cluster ? "redis-cluster" : "redis";
            }
        }
    }

    /**
     * Which payment gateway to charge through, how long one charge may take, and when the circuit breaker in
     * front of it opens; {@code stripe} is present when the gateway is Stripe.
     */
    public record GatewayConfig(String name, Duration timeout, SimulationSettings simulation,
                                Optional<StripeSettings> stripe, CircuitBreakerSettings breaker) {
    }

    /**
     * What guards {@code POST /webhooks} before the use case.
     *
     * @param signatures        empty: requests are not signed
     * @param instanceRateLimit the limit of each instance on its own
     * @param clusterRateLimit  the limit of all instances together, counted in Redis
     * @param serverLimits      header size, idle timeout, minimum body data rate
     */
    public record EdgeConfig(Optional<SignatureSettings> signatures, Optional<RateLimit> instanceRateLimit,
                             Optional<RateLimit> clusterRateLimit, ServerLimits serverLimits) {
    }

    /** Reads and validates {@code variables}; throws {@link ConfigException} listing every problem. */
    public static ServiceConfig from(Map<String, String> variables) {
        Env env = new Env(variables);

        int port = env.integer("PORT", 8080, 0, 65_535);
        int maxBodyBytes = env.integer("MAX_BODY_BYTES", HttpSettings.DEFAULT_MAX_BODY_BYTES, 64, 16 * 1024 * 1024);
        Currency currency = currency(env);
        Duration drain = env.duration("SHUTDOWN_TIMEOUT", Duration.ofSeconds(30));

        Duration successTtl = env.duration("SUCCESS_TTL", IdempotencyPolicy.DEFAULT.successTtl());
        Duration failureTtl = env.duration("FAILURE_TTL", IdempotencyPolicy.DEFAULT.failureTtl());
        Duration leaseTtl = env.duration("LEASE_TTL", IdempotencyPolicy.DEFAULT.leaseTtl());

        String gatewayName = env.choice("PAYMENT_GATEWAY", "simulated", GATEWAYS);
        Duration paymentTimeout = env.duration("PAYMENT_TIMEOUT", Duration.ofSeconds(10));
        Duration latency = env.durationOrZero("SIMULATED_LATENCY", Duration.ZERO);
        double failureRate = env.rate("SIMULATED_FAILURE_RATE", 0);
        double declineRate = env.rate("SIMULATED_DECLINE_RATE", 0);
        Optional<StripeSettings> stripe = stripe(env, gatewayName.equals("stripe"), paymentTimeout);
        CircuitBreakerSettings breaker = breaker(env);

        String logFormat = env.choice("LOG_FORMAT", "text", LOG_FORMATS);
        StoreConfig store = store(env);

        EdgeConfig edge = edge(env, store);

        if (leaseTtl.compareTo(paymentTimeout) <= 0) {
            // A lease that ends while the gateway may still answer would let a second worker pay.
            env.problem("LEASE_TTL", "must be longer than PAYMENT_TIMEOUT (LEASE_TTL is " + leaseTtl.toMillis()
                    + " ms, PAYMENT_TIMEOUT is " + paymentTimeout.toMillis() + " ms)");
        }
        env.throwIfInvalid();

        return new ServiceConfig(
                new HttpSettings(port, maxBodyBytes, currency, drain),
                new IdempotencyPolicy(successTtl, failureTtl, leaseTtl),
                store,
                new GatewayConfig(gatewayName, paymentTimeout, new SimulationSettings(latency, failureRate, declineRate),
                        stripe, breaker),
                logFormat,
                edge);
    }

    private static EdgeConfig edge(Env env, StoreConfig store) {
        Optional<SignatureSettings> signatures = signatures(env);
        Optional<RateLimit> instanceLimit = env.rateLimit("RATE_LIMIT");
        Optional<RateLimit> clusterLimit = env.rateLimit("CLUSTER_RATE_LIMIT");
        if (clusterLimit.isPresent() && !(store instanceof StoreConfig.Redis)) {
            // Refused rather than ignored: a limit the operator believes in must not silently do nothing.
            env.problem("CLUSTER_RATE_LIMIT", "needs Redis (REDIS_URL or REDIS_CLUSTER_NODES) to share the count"
                    + " between instances; use RATE_LIMIT for a limit per instance");
        }
        ServerLimits defaults = ServerLimits.DEFAULTS;
        ServerLimits limits = new ServerLimits(
                env.integer("MAX_HEADER_BYTES", defaults.maxHeaderBytes(), 1_024, 1_048_576),
                env.duration("HTTP_IDLE_TIMEOUT", defaults.idleTimeout()),
                env.integer("MIN_REQUEST_DATA_RATE", defaults.minRequestDataRate(), 0, 1_000_000_000));
        return new EdgeConfig(signatures, instanceLimit, clusterLimit, limits);
    }

    /** Secrets are separated by commas or spaces; a problem names a secret by its position, never by its value. */
    private static Optional<SignatureSettings> signatures(Env env) {
        Optional<String> raw = env.secret("WEBHOOK_SECRETS");
        Duration tolerance = env.duration("SIGNATURE_TOLERANCE", SignatureSettings.DEFAULT_TOLERANCE);
        boolean required = env.flag("REQUIRE_SIGNATURES", false);
        if (raw.isEmpty()) {
            if (required) {
                env.problem("REQUIRE_SIGNATURES", "is true but WEBHOOK_SECRETS is not set; give at least one whsec_"
                        + " secret, or set REQUIRE_SIGNATURES=false to accept unsigned requests");
            }
            return Optional.empty();
        }
        List<String> texts = Arrays.stream(raw.get().split("[,\\s]+")).filter(text -> !text.isEmpty()).toList();
        if (texts.isEmpty()) {
            env.problem("WEBHOOK_SECRETS", "holds no secret; give whsec_ secrets separated by commas");
            return Optional.empty();
        }
        List<WebhookSecret> secrets = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                secrets.add(WebhookSecret.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                env.problem("WEBHOOK_SECRETS", "secret " + (i + 1) + " of " + texts.size() + " " + e.getMessage());
            }
        }
        if (secrets.size() < texts.size()) {
            return Optional.empty();
        }
        return Optional.of(new SignatureSettings(secrets, tolerance));
    }

    private static StoreConfig store(Env env) {
        String keyPrefix = env.text("IDEMPOTENCY_KEY_PREFIX", RedisIdempotencyStore.DEFAULT_KEY_PREFIX);
        Duration connectTimeout = env.duration("REDIS_CONNECT_TIMEOUT", Duration.ofSeconds(2));
        Duration commandTimeout = env.duration("REDIS_COMMAND_TIMEOUT", Duration.ofSeconds(1));
        int poolSize = env.integer("REDIS_POOL_SIZE", 64, 1, 10_000);
        var url = env.secret("REDIS_URL");
        var clusterNodes = env.secret("REDIS_CLUSTER_NODES");
        if (url.isPresent() && clusterNodes.isPresent()) {
            env.problem("REDIS_URL", "set either REDIS_URL or REDIS_CLUSTER_NODES, not both");
            return new StoreConfig.InMemory();
        }
        RedisEndpoint endpoint;
        try {
            if (url.isPresent()) {
                endpoint = RedisEndpoint.fromUrl(url.get());
            } else if (clusterNodes.isPresent()) {
                endpoint = RedisEndpoint.fromClusterNodes(clusterNodes.get());
            } else {
                return new StoreConfig.InMemory();
            }
        } catch (IllegalArgumentException e) {
            // The message never repeats the value: it may hold a password.
            env.problem(url.isPresent() ? "REDIS_URL" : "REDIS_CLUSTER_NODES", e.getMessage());
            return new StoreConfig.InMemory();
        }
        return new StoreConfig.Redis(new RedisSettings(endpoint, connectTimeout, commandTimeout, poolSize), keyPrefix);
    }

    /** Stripe's settings, read only when Stripe is the gateway; the API key is a secret and never shown. */
    private static Optional<StripeSettings> stripe(Env env, boolean selected, Duration timeout) {
        if (!selected) {
            return Optional.empty();
        }
        Optional<String> apiKey = env.secret("STRIPE_API_KEY");
        if (apiKey.isEmpty()) {
            env.problem("STRIPE_API_KEY", "must be set when PAYMENT_GATEWAY is stripe");
        } else if (!apiKey.get().matches("(sk|rk)_(test|live)_[A-Za-z0-9]+")) {
            env.problem("STRIPE_API_KEY", "is not a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)");
        }
        URI apiBase = apiBase(env);
        Optional<String> paymentMethod = env.optional("STRIPE_PAYMENT_METHOD");
        if (paymentMethod.isEmpty() && apiKey.isPresent() && StripeSettings.isLiveKey(apiKey.get())) {
            // The default is Stripe's test card, which a live key cannot charge.
            env.problem("STRIPE_PAYMENT_METHOD", "must be set when STRIPE_API_KEY is a live key");
        }
        Optional<String> customer = env.optional("STRIPE_CUSTOMER");
        if (env.hasProblems()) {
            return Optional.empty(); // from() reports every problem before anything would use this
        }
        return Optional.of(new StripeSettings(apiKey.orElseThrow(), apiBase,
                paymentMethod.orElse(StripeSettings.TEST_PAYMENT_METHOD), customer, timeout));
    }

    private static URI apiBase(Env env) {
        String text = env.text("STRIPE_API_BASE", StripeSettings.DEFAULT_API_BASE.toString());
        try {
            URI uri = new URI(text);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // Not echoed: a proxy URL may carry credentials.
        env.problem("STRIPE_API_BASE", "must be an http or https URL without credentials or query, "
                + "e.g. " + StripeSettings.DEFAULT_API_BASE);
        return StripeSettings.DEFAULT_API_BASE;
    }

    private static CircuitBreakerSettings breaker(Env env) {
        CircuitBreakerSettings defaults = CircuitBreakerSettings.DEFAULT;
        double failureRate = env.rate("PAYMENT_BREAKER_FAILURE_RATE", defaults.failureRate());
        if (failureRate == 0) {
            env.problem("PAYMENT_BREAKER_FAILURE_RATE", "must be above 0");
            failureRate = defaults.failureRate();
        }
        int window = env.integer("PAYMENT_BREAKER_WINDOW", defaults.window(), 1, 10_000);
        int minimumCalls = env.integer("PAYMENT_BREAKER_MIN_CALLS", defaults.minimumCalls(), 1, 10_000);
        if (minimumCalls > window) {
            env.problem("PAYMENT_BREAKER_MIN_CALLS", "must not exceed PAYMENT_BREAKER_WINDOW (" + minimumCalls
                    + " > " + window + ")");
            minimumCalls = window;
        }
        Duration openDuration = env.duration("PAYMENT_BREAKER_OPEN_DURATION", defaults.openDuration());
        int halfOpenCalls = env.integer("PAYMENT_BREAKER_HALF_OPEN_CALLS", defaults.halfOpenCalls(), 1, 1_000);
        return new CircuitBreakerSettings(failureRate, window, minimumCalls, openDuration, halfOpenCalls);
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
