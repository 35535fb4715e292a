package dev.payhook.http;

import dev.payhook.domain.EventId;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.PaymentEvent;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.RateDecision;
import dev.payhook.domain.StoreHealth;
import dev.payhook.domain.WebhookOutcome;
import dev.payhook.domain.WebhookProcessor;
import dev.payhook.http.metrics.HttpMetrics;
import dev.payhook.http.metrics.PrometheusMetrics;
import io.javalin.Javalin;
import io.javalin.config.JettyConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The service's HTTP face: {@code POST /webhooks}, health and metrics, on Javalin with virtual threads.
 * Input is checked here (rate, type, size, signature, shape) so that bad requests never reach the store or
 * the gateway.
 */
public final class WebhookServer implements AutoCloseable {

    static final String ID_HEADER = "webhook-id";
    static final String TIMESTAMP_HEADER = "webhook-timestamp";
    static final String SIGNATURE_HEADER = "webhook-signature";
    private static final String REQUEST_ID_ATTRIBUTE = "payhook.request_id";
    private static final Pattern JSON_MEDIA_TYPE = Pattern.compile("application/([a-z0-9.+-]*\\+)?json");
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    private final HttpSettings settings;
    private final EdgeSecurity security;
    private final WebhookProcessor processor;
    private final IdempotencyStore store;
    private final PaymentGateway gateway;
    private final PrometheusMeterRegistry registry;
    private final HttpMetrics metrics;
    private final WebhookRequestParser parser;
    private final Javalin app;
    private volatile boolean draining;

    /** {@code store} and {@code gateway} are those of {@code processor}, asked again for readiness. */
    public WebhookServer(HttpSettings settings, EdgeSecurity security, WebhookProcessor processor,
                         IdempotencyStore store, PaymentGateway gateway, PrometheusMeterRegistry registry) {
        this.settings = settings;
        this.security = security;
        this.processor = processor;
        this.store = store;
        this.gateway = gateway;
        this.registry = registry;
        this.metrics = new HttpMetrics(registry);
        this.parser = new WebhookRequestParser(settings.defaultCurrency());
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            // With a stop timeout, Jetty stops accepting and lets requests in flight finish.
            config.jetty.modifyServer(server -> server.setStopTimeout(settings.drainTimeout().toMillis()));
            applyLimits(config.jetty, security.limits());
            config.routes.before(this::tagRequest);
            config.routes.after(ctx -> MDC.remove(RequestIds.LOG_FIELD));
            config.routes.post("/webhooks", this::receiveWebhook);
            config.routes.get("/health/live", ctx -> Reply.json(200, Map.of("status", "UP")).sendTo(ctx));
            config.routes.get("/health/ready", this::ready);
            config.routes.get("/metrics", this::scrape);
            ErrorResponses.register(config.routes, metrics);
            config.requestLogger.http(this::logRequest);
        });
    }

    /** The connector carries the idle timeout; Jetty answers its own refusals (431, 400) as problems too. */
    private void applyLimits(JettyConfig jetty, ServerLimits limits) {
        jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(limits.maxHeaderBytes());
            http.setMinRequestDataRate(limits.minRequestDataRate());
        });
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setPort(settings.port());
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            return connector;
        });
        jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler(metrics, limits)));
    }

    public WebhookServer start() {
        app.start();
        return this;
    }

    /** The port actually listened on (useful when configured with 0). */
    public int port() {
        return app.port();
    }

    /**
     * The start of a graceful stop: readiness answers 503 from now on, so that load balancers take this
     * instance out of rotation, while every request is still served as usual.
     */
    public void beginDrain() {
        draining = true;
    }

    /**
     * Stops: after {@link #beginDrain()}, keeps serving for the drain delay, then stops accepting connections
     * and waits up to the drain timeout for requests in flight.
     */
    @Override
    public void close() {
        beginDrain();
        pause(settings.drainDelay());
        app.stop();
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The order of checks: unsigned, the shared budgets come first, as nothing else tells requests apart.
     * Signed, a request spends them only once its signature holds: the cheap header checks run before the
     * body is read, an address that keeps sending bad signatures is refused before its HMAC is computed,
     * and so neither unsigned nor forged floods can starve a signed sender.
     */
    private void receiveWebhook(Context ctx) {
        Optional<SignatureVerifier> signatures = security.signatures();
        if (signatures.isEmpty()) {
            admit();
        }
        // The header as sent: the servlet API's getContentType() looks up its charset and throws on an illegal name.
        requireJson(ctx.header("Content-Type"));
        signatures.ifPresent(verifier -> verifier.checkHeaders(ctx.header(ID_HEADER), ctx.header(TIMESTAMP_HEADER),
                ctx.header(SIGNATURE_HEADER)).ifPresent(failure -> {
                    throw RequestRejected.badSignature(failure);
                }));
        byte[] body = readBody(ctx);
        if (signatures.isPresent()) {
            verifySignature(signatures.get(), ctx, body);
            admit();
        }
        PaymentEvent event = parser.parse(body, ctx.header(ID_HEADER));
        ctx.attribute(ErrorResponses.EVENT_ID_ATTRIBUTE, event.id());
        WebhookOutcome outcome = processor.process(event);
        ctx.attribute(ErrorResponses.OUTCOME_ATTRIBUTE, outcome.label());
        OutcomeResponses.toReply(outcome).sendTo(ctx);
    }

    private void admit() {
        if (security.rateLimiter().tryAcquire() instanceof RateDecision.Limited limited) {
            throw RequestRejected.rateLimited(limited.retryAfter());
        }
    }

    /** On the raw bytes, before any parsing: an unsigned body is never interpreted. */
    private void verifySignature(SignatureVerifier verifier, Context ctx, byte[] body) {
        String address = ctx.ip();
        security.failedSignatures().blocked(address).ifPresent(retryAfter -> {
            throw RequestRejected.tooManyBadSignatures(retryAfter);
        });
        verifier.check(ctx.header(ID_HEADER), ctx.header(TIMESTAMP_HEADER), ctx.header(SIGNATURE_HEADER), body)
                .ifPresent(failure -> {
                    security.failedSignatures().failed(address);
                    throw RequestRejected.badSignature(failure);
                });
    }

    private static void requireJson(String contentType) {
        if (contentType == null) {
            throw RequestRejected.unsupportedMediaType(null);
        }
        // With limit -1 there is always a first part, also for a header that is only ";".
        String[] parts = contentType.split(";", -1);
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON_MEDIA_TYPE.matcher(mediaType).matches()) {
            throw RequestRejected.unsupportedMediaType(contentType);
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                throw RequestRejected.unsupportedMediaType(contentType);
            }
        }
    }

    /**
     * Reads at most the limit plus one byte, so an oversized body is refused without being buffered. A body
     * that stalls past the idle timeout or trickles below the minimum data rate is refused with 408.
     *
     * <p>With a Content-Length, exactly that many bytes are read and no read waits for the end of the body:
     * the servlet layer checks the data rate on every read after the first, from the first, so a small body
     * that arrived whole would fail the check whenever this thread is scheduled late, as under load.
     */
    private byte[] readBody(Context ctx) {
        int limit = settings.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw RequestRejected.tooLarge(limit);
        }
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes(declared >= 0 ? (int) declared : limit + 1);
        } catch (IOException | BadMessageException e) {
            throw RequestRejected.bodyTimedOut();
        }
        if (body.length > limit) {
            throw RequestRejected.tooLarge(limit);
        }
        return body;
    }

    /**
     * Ready while the store answers and the gateway can charge; says what the store reported, warnings
     * included (they do not fail it).
     */
    private void ready(Context ctx) {
        if (draining) {
            Reply.json(503, Map.of("status", "DRAINING", "reason", "the service is shutting down")).sendTo(ctx);
            return;
        }
        Optional<String> gatewayProblem = gateway.problem();
        if (gatewayProblem.isPresent()) {
            LOG.warn("readiness check failed: the payment gateway cannot charge: {}", gatewayProblem.get());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "DOWN");
            body.put("reason", "the payment gateway cannot charge");
            body.put("kind", "gateway");
            body.put("detail", gatewayProblem.get());
            Reply.json(503, body).sendTo(ctx);
            return;
        }
        try {
            StoreHealth health = store.check();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "UP");
            body.put("store", health.details());
            body.put("warnings", health.warnings());
            Reply.json(200, body).sendTo(ctx);
        } catch (IdempotencyStoreUnavailable e) {
            String reason = StoreTrouble.reason(e.kind());
            LOG.atWarn().addKeyValue("kind", e.kind().label())
                    .log("readiness check failed: {}: {}", reason, e.getMessage());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "DOWN");
            body.put("reason", reason);
            body.put("kind", e.kind().label());
            body.put("detail", e.getMessage());
            Reply.json(503, body).sendTo(ctx);
        }
    }

    private void scrape(Context ctx) {
        ctx.contentType(PrometheusMetrics.CONTENT_TYPE).result(registry.scrape());
    }

    private void tagRequest(Context ctx) {
        String requestId = RequestIds.choose(ctx.header(RequestIds.HEADER));
        ctx.attribute(REQUEST_ID_ATTRIBUTE, requestId);
        ctx.header(RequestIds.HEADER, requestId);
        MDC.put(RequestIds.LOG_FIELD, requestId);
    }

    private void logRequest(Context ctx, Float executionMillis) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        int status = ctx.statusCode();
        Duration elapsed = Duration.ofNanos((long) (executionMillis * 1_000_000));
        metrics.request(ctx.method().name(), route, status, elapsed);

        EventId eventId = ctx.attribute(ErrorResponses.EVENT_ID_ATTRIBUTE);
        String outcome = ctx.attribute(ErrorResponses.OUTCOME_ATTRIBUTE);
        String rejected = ctx.attribute(ErrorResponses.REJECTED_ATTRIBUTE);
        var line = route.startsWith("/webhooks") || status >= 400 ? LOG.atInfo() : LOG.atDebug();
        line = line.addKeyValue(RequestIds.LOG_FIELD, ctx.<String>attribute(REQUEST_ID_ATTRIBUTE))
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("route", route)
                .addKeyValue("status", status)
                .addKeyValue("duration_ms", Math.round(executionMillis * 100) / 100.0);
        // Requests refused before parsing have neither; a field that is absent reads better than "null".
        if (eventId != null) {
            line = line.addKeyValue("event_id", eventId.value());
        }
        if (outcome != null) {
            line = line.addKeyValue("outcome", outcome);
        }
        if (rejected != null) {
            line = line.addKeyValue("rejected", rejected);
        }
        line.log("{} {} {}", ctx.method().name(), ctx.path(), status);
    }
}
