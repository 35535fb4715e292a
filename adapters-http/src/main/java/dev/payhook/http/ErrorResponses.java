package dev.payhook.http;

import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.http.metrics.HttpMetrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become problem+json responses. */
final class ErrorResponses {

    /** How long a sender should wait before retrying while the store is unreachable. */
    static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(2);
    static final String OUTCOME_ATTRIBUTE = "payhook.outcome";
    static final String REJECTED_ATTRIBUTE = "payhook.rejected";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    static void register(RoutesConfig routes, HttpMetrics metrics) {
        routes.exception(RequestRejected.class, (rejected, ctx) -> {
            metrics.rejected(rejected.reason());
            rejected.signatureFailure().ifPresent(failure -> metrics.signatureRejected(failure.label()));
            ctx.attribute(REJECTED_ATTRIBUTE, rejected.logLabel());
            Reply.problem(rejected.problem()).sendTo(ctx);
        });
        routes.exception(IdempotencyStoreUnavailable.class, (unavailable, ctx) -> {
            // One line per request, no stack trace: an outage would otherwise bury everything else in the log.
            LOG.warn("idempotency store unavailable; nothing was paid: {}", unavailable.getMessage());
            ctx.attribute(OUTCOME_ATTRIBUTE, "store_unavailable");
            Reply.problem(Problem.of(503, "store-unavailable", "Idempotency store unavailable",
                    "the service cannot tell whether this event was already paid, so it paid nothing; retry later")
                    .retryAfter(STORE_RETRY_AFTER)).sendTo(ctx);
        });
        routes.exception(HttpResponseException.class, (error, ctx) -> sendHttpError(error.getStatus(), ctx));
        routes.exception(Exception.class, (error, ctx) -> {
            LOG.error("unexpected error serving {} {}", ctx.method(), ctx.path(), error);
            Reply.problem(Problem.of(500, "internal-error", "Internal server error",
                    "the request failed unexpectedly; it is safe to retry")).sendTo(ctx);
        });
    }

    private static void sendHttpError(int status, Context ctx) {
        Problem problem = switch (status) {
            case 404 -> Problem.of(404, "not-found", "Not found", "no route matches " + ctx.path());
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed",
                    ctx.method() + " is not allowed on " + ctx.path());
            case 413 -> Problem.of(413, "payload-too-large", "Payload too large", "the request body is too large");
            default -> Problem.of(status, "http-error", "HTTP error " + status, "the request could not be served");
        };
        Reply.problem(problem).sendTo(ctx);
    }
}
