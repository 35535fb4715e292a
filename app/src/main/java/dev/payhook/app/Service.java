package dev.payhook.app;

import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.ObservedIdempotencyStore;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.WebhookProcessor;
import dev.payhook.domain.memory.InMemoryIdempotencyStore;
import dev.payhook.http.WebhookServer;
import dev.payhook.http.metrics.MicrometerProcessingObserver;
import dev.payhook.http.metrics.PrometheusMetrics;
import dev.payhook.payment.CircuitBreakingPaymentGateway;
import dev.payhook.payment.SimulatedPaymentGateway;
import dev.payhook.payment.StripePaymentGateway;
import dev.payhook.payment.TimeLimitedPaymentGateway;
import dev.payhook.redis.RedisConnection;
import dev.payhook.redis.RedisIdempotencyStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every part from the configuration with plain {@code new}, and stops them. */
public final class Service implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Service.class);

    private final WebhookServer server;
    private final PaymentGateway gateway;
    private final IdempotencyStore store;
    private final PrometheusMeterRegistry registry;

    private Service(WebhookServer server, PaymentGateway gateway, IdempotencyStore store,
                    PrometheusMeterRegistry registry) {
        this.server = server;
        this.gateway = gateway;
        this.store = store;
        this.registry = registry;
    }

    public static Service start(ServiceConfig config) {
        String version = version();
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry(version);
        var observer = new MicrometerProcessingObserver(registry, config.store().label(), config.gateway().name());
        IdempotencyStore store = new ObservedIdempotencyStore(newStore(config.store()), observer);
        PaymentGateway gateway = new CircuitBreakingPaymentGateway(
                new TimeLimitedPaymentGateway(newGateway(config.gateway()), config.gateway().timeout()),
                config.gateway().name(), config.gateway().breaker(), registry, Clock.systemUTC());
        var processor = new WebhookProcessor(store, gateway, config.policy(), ClaimToken.secureRandom(), observer);
        WebhookServer server = new WebhookServer(config.http(), processor, store, registry).start();
        LOG.atInfo().addKeyValue("version", version).addKeyValue("port", server.port())
                .addKeyValue("store", config.store().label()).addKeyValue("gateway", config.gateway().name())
                .log("payhook {} listening on port {} (store: {}, gateway: {})",
                        version, server.port(), config.store().label(), config.gateway().name());
        return new Service(server, gateway, store, registry);
    }

    private static IdempotencyStore newStore(ServiceConfig.StoreConfig store) {
        return switch (store) {
            case ServiceConfig.StoreConfig.InMemory ignored -> {
                LOG.warn("idempotency store: in memory; run a single instance only, records are lost on restart");
                yield new InMemoryIdempotencyStore(Clock.systemUTC());
            }
            case ServiceConfig.StoreConfig.Redis redis -> {
                RedisConnection connection = RedisConnection.open(redis.settings());
                LOG.info("idempotency store: {} (key prefix '{}')", connection.description(), redis.keyPrefix());
                yield new RedisIdempotencyStore(connection, redis.keyPrefix());
            }
        };
    }

    private static PaymentGateway newGateway(ServiceConfig.GatewayConfig gateway) {
        return switch (gateway.name()) {
            case "simulated" -> new SimulatedPaymentGateway(gateway.simulation(), new Random());
            case "stripe" -> new StripePaymentGateway(gateway.stripe().orElseThrow());
            default -> throw new IllegalArgumentException("unknown gateway " + gateway.name());
        };
    }

    public int port() {
        return server.port();
    }

    /** Stops taking requests, lets those in flight finish, then releases the gateway, store and meters. */
    @Override
    public void close() {
        LOG.info("shutting down: draining requests in flight");
        try (store; gateway) {
            server.close();
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
