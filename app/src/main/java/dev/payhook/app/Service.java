package dev.payhook.app;

import dev.payhook.app.logging.Logs;
import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.EventAdministration;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.ObservedIdempotencyStore;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PendingCompletions;
import dev.payhook.domain.RateLimiter;
import dev.payhook.domain.WebhookProcessor;
import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import dev.payhook.http.AdminServer;
import dev.payhook.http.EdgeSecurity;
import dev.payhook.http.FailedSignatureLimiter;
import dev.payhook.http.SignatureVerifier;
import dev.payhook.http.TokenBucketRateLimiter;
import dev.payhook.http.WebhookServer;
import dev.payhook.http.metrics.MicrometerProcessingObserver;
import dev.payhook.http.metrics.PrometheusMetrics;
import dev.payhook.http.metrics.StoreHealthWatch;
import dev.payhook.payment.BulkheadPaymentGateway;
import dev.payhook.payment.CircuitBreakingPaymentGateway;
import dev.payhook.payment.SimulatedPaymentGateway;
import dev.payhook.payment.StripePaymentGateway;
import dev.payhook.payment.TimeLimitedPaymentGateway;
import dev.payhook.redis.RedisConnection;
import dev.payhook.redis.RedisIdempotencyStore;
import dev.payhook.redis.RedisRateLimiter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every part from the configuration with plain {@code new}, and stops them. */
public final class Service implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Service.class);
    /** How often payment records that the store could not take are tried again. */
    private static final Duration PENDING_RETRY_INTERVAL = Duration.ofSeconds(1);
    /** How often the store is asked about itself (eviction policy, fill level) besides readiness probes. */
    private static final Duration HEALTH_CHECK_INTERVAL = Duration.ofMinutes(1);

    private final WebhookServer server;
    private final Optional<AdminServer> admin;
    private final PaymentGateway gateway;
    private final IdempotencyStore store;
    private final PrometheusMeterRegistry registry;
    private final PendingCompletions pending;
    private final ScheduledExecutorService background;
    private final Duration drainDelay;

    private Service(WebhookServer server, Optional<AdminServer> admin, PaymentGateway gateway, IdempotencyStore store,
                    PrometheusMeterRegistry registry, PendingCompletions pending,
                    ScheduledExecutorService background, Duration drainDelay) {
        this.server = server;
        this.admin = admin;
        this.gateway = gateway;
        this.store = store;
        this.registry = registry;
        this.pending = pending;
        this.background = background;
        this.drainDelay = drainDelay;
    }

    public static Service start(ServiceConfig config) {
        String version = version();
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry(version);
        Logs.queue().ifPresent(queue -> PrometheusMetrics.bindDroppedLogLines(registry, queue.droppedByLevel()));
        var observer = new MicrometerProcessingObserver(registry, config.store().label(), config.gateway().name());
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("payhook-background").daemon().factory());
        Optional<RedisConnection> redis = config.store() instanceof StoreConfig.Redis settings
                ? Optional.of(RedisConnection.open(settings.settings())) : Optional.empty();
        IdempotencyStore store = new ObservedIdempotencyStore(
                newStore(config.store(), redis, observer, background), observer);
        var health = new StoreHealthWatch(store, registry, config.store().label());
        health.reportAtStart();
        every(background, HEALTH_CHECK_INTERVAL, health::refresh);
        PaymentGateway gateway = new CircuitBreakingPaymentGateway(new BulkheadPaymentGateway(
                newGateway(config.gateway()), config.gateway().maxConcurrency(), config.gateway().name(), registry),
                config.gateway().name(), config.gateway().breaker(), registry, Clock.systemUTC());
        var pending = new PendingCompletions(store, observer, Clock.systemUTC(), PendingCompletions.DEFAULT_CAPACITY);
        observer.watch(pending);
        every(background, PENDING_RETRY_INTERVAL, pending::retry);
        var processor = new WebhookProcessor(store, gateway, config.policy(), ClaimToken.random(), observer,
                pending, Clock.systemUTC());
        EdgeSecurity edge = newEdgeSecurity(config.edge(), sharedRateLimiter(config, redis));
        WebhookServer server = new WebhookServer(config.http(), edge, processor, store, gateway, registry).start();
        Optional<AdminServer> admin = config.admin().map(settings -> new AdminServer(settings,
                new EventAdministration(store, gateway, config.policy()), registry).start());
        reportEdge(config.edge(), server.port());
        LOG.atInfo().addKeyValue("version", version).addKeyValue("port", server.port())
                .addKeyValue("store", config.store().label()).addKeyValue("gateway", config.gateway().name())
                .log("payhook {} listening on port {} (store: {}, gateway: {})",
                        version, server.port(), config.store().label(), config.gateway().name());
        return new Service(server, admin, gateway, store, registry, pending, background, config.http().drainDelay());
    }

    /**
     * The instance's own limit is checked first, so a flood on one instance does not drain the shared budget;
     * with signatures on, only requests whose signature holds reach either.
     */
    private static EdgeSecurity newEdgeSecurity(EdgeConfig edge, RateLimiter shared) {
        Optional<SignatureVerifier> signatures = edge.signatures()
                .map(settings -> new SignatureVerifier(settings, Clock.systemUTC()));
        RateLimiter instance = edge.instanceRateLimit().<RateLimiter>map(TokenBucketRateLimiter::new)
                .orElse(RateLimiter.UNLIMITED);
        return new EdgeSecurity(signatures, instance.and(shared),
                new FailedSignatureLimiter(edge.failedSignatureLimit()), edge.serverLimits());
    }

    /** The limit of all instances together; configuration accepts one only together with Redis. */
    private static RateLimiter sharedRateLimiter(ServiceConfig config, Optional<RedisConnection> redis) {
        if (config.store() instanceof StoreConfig.Redis settings && config.edge().clusterRateLimit().isPresent()) {
            return new RedisRateLimiter(redis.orElseThrow(), settings.keyPrefix(), config.edge().clusterRateLimit().get());
        }
        return RateLimiter.UNLIMITED;
    }

    /** Says what guards the endpoint; running unsigned is said loudly, once, where every operator looks. */
    private static void reportEdge(EdgeConfig edge, int port) {
        edge.signatures().ifPresentOrElse(
                settings -> LOG.atInfo().addKeyValue("secrets", settings.secrets().size())
                        .addKeyValue("tolerance_s", settings.tolerance().toSeconds())
                        .log("webhook signatures required: {} secret(s), timestamps within {} s",
                                settings.secrets().size(), settings.tolerance().toSeconds()),
                () -> LOG.warn("WEBHOOK SIGNATURES ARE OFF: POST /webhooks accepts unsigned requests, so anyone who"
                        + " can reach port {} can submit payment events. Set WEBHOOK_SECRETS to require Standard"
                        + " Webhooks signatures, and REQUIRE_SIGNATURES=true to refuse to start without them.", port));
        edge.instanceRateLimit().ifPresent(limit -> LOG.atInfo().addKeyValue("requests", limit.requests())
                .addKeyValue("period_ms", limit.period().toMillis())
                .log("rate limit per instance: {} requests per {} ms", limit.requests(), limit.period().toMillis()));
        edge.clusterRateLimit().ifPresent(limit -> LOG.atInfo().addKeyValue("requests", limit.requests())
                .addKeyValue("period_ms", limit.period().toMillis())
                .log("rate limit shared by all instances through Redis: {} requests per {} ms", limit.requests(),
                        limit.period().toMillis()));
    }

    private static IdempotencyStore newStore(StoreConfig store, Optional<RedisConnection> redis,
                                             MicrometerProcessingObserver observer,
                                             ScheduledExecutorService background) {
        return switch (store) {
            case StoreConfig.InMemory memory -> {
                LOG.atWarn().addKeyValue("max_records", memory.maxRecords())
                        .log("idempotency store: in memory, at most {} records (MEMORY_STORE_MAX_RECORDS); run a"
                                + " single instance only, records are lost on restart", memory.maxRecords());
                var inMemory = new InMemoryIdempotencyStore(Clock.systemUTC(), memory.maxRecords());
                observer.watch(inMemory);
                every(background, InMemoryIdempotencyStore.SWEEP_INTERVAL, inMemory::sweep);
                yield inMemory;
            }
            case StoreConfig.Redis settings -> {
                RedisConnection connection = redis.orElseThrow();
                LOG.info("idempotency store: {} (key prefix '{}')", connection.description(), settings.keyPrefix());
                yield new RedisIdempotencyStore(connection, settings.keyPrefix());
            }
        };
    }

    private static void every(ScheduledExecutorService background, Duration interval, Runnable task) {
        background.scheduleWithFixedDelay(task, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static PaymentGateway newGateway(GatewayConfig gateway) {
        return switch (gateway.name()) {
            case "simulated" -> {
                LOG.warn("payment gateway: SIMULATED; it moves no money, and every payment it reports is made up."
                        + " Set PAYMENT_GATEWAY=stripe to charge for real.");
                yield new SimulatedPaymentGateway(gateway.simulation(), new Random(), gateway.timeout());
            }
            case "stripe" -> {
                var stripe = new StripePaymentGateway(gateway.stripe().orElseThrow());
                stripe.verifyCredentials();
                // Each HTTP call is bounded, but a lookup makes several, and a slow body is not: one bound for all.
                yield new TimeLimitedPaymentGateway(stripe, gateway.timeout());
            }
            default -> throw new IllegalArgumentException("unknown gateway " + gateway.name());
        };
    }

    public int port() {
        return server.port();
    }

    /**
     * Stops gracefully: readiness turns 503 at once while requests are still served for the drain delay, so
     * that load balancers stop sending; then it stops taking connections, lets requests in flight finish,
     * writes the payment records still waiting for the store, and releases the gateway, store and meters.
     */
    @Override
    public void close() {
        LOG.atInfo().addKeyValue("drain_delay_ms", drainDelay.toMillis())
                .log("shutting down: not ready from now on, still serving for {} ms, then draining requests in flight",
                        drainDelay.toMillis());
        try (store; gateway) {
            server.close();
            admin.ifPresent(AdminServer::close);
            background.shutdownNow();
            pending.flush();
        } finally {
            registry.close();
        }
        LOG.info("stopped");
    }

    private static String version() {
        String version = Service.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
