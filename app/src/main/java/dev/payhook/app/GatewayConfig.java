package dev.payhook.app;

import dev.payhook.payment.CircuitBreakerSettings;
import dev.payhook.payment.SimulationSettings;
import dev.payhook.payment.StripeSettings;
import dev.payhook.redis.RedisIdempotencyStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Which payment gateway to charge through, how long one charge may take, how many calls to it may be in
 * flight at once, and when the circuit breaker in front of it opens; {@code stripe} is present when the
 * gateway is Stripe.
 */
public record GatewayConfig(String name, Duration timeout, SimulationSettings simulation,
                            Optional<StripeSettings> stripe, CircuitBreakerSettings breaker, int maxConcurrency) {

    static final List<String> GATEWAYS = List.of("simulated", "stripe");
    /** Stripe takes 25 requests a second per endpoint (and in test mode overall); beyond that it answers 429. */
    static final int STRIPE_MAX_CONCURRENCY = 25;
    /** The simulated gateway has no limits of its own; benchmarks drive a thousand connections at 100 ms each. */
    static final int SIMULATED_MAX_CONCURRENCY = 10_000;

    /**
     * Reads PAYMENT_GATEWAY, PAYMENT_TIMEOUT, PAYMENT_MAX_CONCURRENCY and the SIMULATED_*, STRIPE_* and
     * PAYMENT_BREAKER_* variables.
     */
    static GatewayConfig read(Env env) {
        String name = env.choice("PAYMENT_GATEWAY", "simulated", GATEWAYS);
        Duration timeout = env.duration("PAYMENT_TIMEOUT", Duration.ofSeconds(10));
        Duration latency = env.durationOrZero("SIMULATED_LATENCY", Duration.ZERO);
        double failureRate = env.rate("SIMULATED_FAILURE_RATE", 0);
        double declineRate = env.rate("SIMULATED_DECLINE_RATE", 0);
        int maxConcurrency = env.integer("PAYMENT_MAX_CONCURRENCY",
                name.equals("stripe") ? STRIPE_MAX_CONCURRENCY : SIMULATED_MAX_CONCURRENCY, 1, 100_000);
        if (env.text("PAYMENT_GATEWAY", "simulated").equalsIgnoreCase("simulated")) {
            refuseStripeVariables(env);
        }
        Optional<StripeSettings> stripe = stripe(env, name.equals("stripe"), timeout);
        CircuitBreakerSettings breaker = breaker(env);
        return new GatewayConfig(name, timeout, new SimulationSettings(latency, failureRate, declineRate), stripe,
                breaker, maxConcurrency);
    }

    /**
     * Stripe's variables with the simulated gateway mean someone meant to charge for real and forgot
     * PAYMENT_GATEWAY: the fake payments would be answered, and replayed, as real ones. Values are not shown.
     */
    private static void refuseStripeVariables(Env env) {
        for (String variable : env.namesStartingWith("STRIPE_")) {
            env.problem(variable, "set while PAYMENT_GATEWAY is simulated, which moves no money; set"
                    + " PAYMENT_GATEWAY=stripe to charge through Stripe, or unset " + variable);
        }
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
        String paymentMethod = env.text("STRIPE_PAYMENT_METHOD", StripeSettings.TEST_PAYMENT_METHOD);
        Optional<String> customer = env.optional("STRIPE_CUSTOMER");
        if (apiKey.isPresent() && StripeSettings.isLiveKey(apiKey.get())) {
            if (paymentMethod.equals(StripeSettings.TEST_PAYMENT_METHOD)) {
                // Stripe's test card, the default, which a live key cannot charge.
                env.problem("STRIPE_PAYMENT_METHOD", "must name a real payment method when STRIPE_API_KEY is a"
                        + " live key: " + StripeSettings.TEST_PAYMENT_METHOD + " is Stripe's test card");
            }
            if (customer.isEmpty()) {
                env.problem("STRIPE_CUSTOMER", "must be set when STRIPE_API_KEY is a live key: a webhook-triggered"
                        + " charge is made off-session, on a payment method saved to a customer");
            }
        }
        String idempotencyPrefix = idempotencyPrefix(env);
        Duration searchLag = env.durationOrZero("STRIPE_SEARCH_LAG", StripeSettings.DEFAULT_SEARCH_LAG);
        if (env.hasProblems()) {
            return Optional.empty(); // from() reports every problem before anything would use this
        }
        return Optional.of(new StripeSettings(apiKey.orElseThrow(), apiBase,
                paymentMethod, customer, timeout, idempotencyPrefix,
                searchLag));
    }

    /**
     * The prefix of Stripe idempotency keys; by default the store's key prefix, which already tells apart
     * deployments sharing a Redis, and should tell apart those sharing a Stripe account just as well.
     */
    private static String idempotencyPrefix(Env env) {
        Optional<String> own = env.optional("STRIPE_IDEMPOTENCY_PREFIX");
        String prefix = own.orElseGet(() -> env.text("IDEMPOTENCY_KEY_PREFIX", RedisIdempotencyStore.DEFAULT_KEY_PREFIX));
        if (!StripeSettings.isValidIdempotencyPrefix(prefix)) {
            String rule = "1 to " + StripeSettings.MAX_IDEMPOTENCY_PREFIX_LENGTH + " visible ASCII characters";
            env.problem("STRIPE_IDEMPOTENCY_PREFIX", own.isPresent()
                    ? "must be " + rule
                    : "is unset, and IDEMPOTENCY_KEY_PREFIX, its default, is not " + rule + "; set it");
        }
        return prefix;
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
}
