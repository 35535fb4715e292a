package dev.payhook.http;

import dev.payhook.domain.EventId;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.StoredRecordUnreadable;
import dev.payhook.http.metrics.HttpMetrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become problem+json responses. */
final class ErrorResponses {

    static final String OUTCOME_ATTRIBUTE = "payhook.outcome";
    static final String REJECTED_ATTRIBUTE = "payhook.rejected";
    static final String EVENT_ID_ATTRIBUTE = "payhook.event_id";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    static void register(RoutesConfig routes, HttpMetrics metrics) {
        routes.exception(RequestRejected.class, (rejected, ctx) -> {
            metrics.rejected(rejected.reason());
            rejected.signatureFailure().ifPresent(failure -> metrics.signatureRejected(failure.label()));
            ctx.attribute(REJECTED_ATTRIBUTE, rejected.logLabel());
            rejected.eventId().ifPresent(eventId -> ctx.attribute(EVENT_ID_ATTRIBUTE, eventId));
            Reply.problem(rejected.problem()).sendTo(ctx);
        });
        routes.exception(IdempotencyStoreUnavailable.class, (unavailable, ctx) -> {
            // One line per request, no stack trace: an outage would otherwise bury everything else in the log.
            LOG.atWarn().addKeyValue("kind", unavailable.kind().label())
                    .log("{}; nothing was paid: {}", StoreTrouble.reason(unavailable.kind()), unavailable.getMessage());
            Problem problem = unavailable.kind() == IdempotencyStoreUnavailable.Kind.FULL
                    ? Problem.of(503, "store-full", "Idempotency store full",
                            "the service holds as many payment records as it may, so it paid nothing; retry later")
                    : Problem.of(503, "store-unavailable", "Idempotency store unavailable",
                            "the service cannot tell whether this event was already paid, so it paid nothing;"
                                    + " retry later");
            ctx.attribute(OUTCOME_ATTRIBUTE, unavailable.kind() == IdempotencyStoreUnavailable.Kind.FULL
                    ? "store_full" : "store_unavailable");
            Reply.problem(eventProblem(problem, ctx).retryAfter(unavailable.retryAfter())).sendTo(ctx);
        });
        routes.exception(StoredRecordUnreadable.class, (unreadable, ctx) -> {
            ctx.attribute(OUTCOME_ATTRIBUTE, "unreadable_record");
            Reply.problem(eventProblem(Problem.of(500, "unreadable-record", "Stored record unreadable",
                    "the idempotency store holds a value for this event that the service cannot read, so it paid"
                            + " nothing; an operator must remove or fix it"), ctx)).sendTo(ctx);
        });
        routes.exception(HttpResponseException.class, ErrorResponses::sendHttpError);
        routes.exception(Exception.class, (error, ctx) -> {
            LOG.error("unexpected error serving {} {}", ctx.method(), ctx.path(), error);
            Reply.problem(Problem.of(500, "internal-error", "Internal server error",
                    "the request failed unexpectedly; it is safe to retry")).sendTo(ctx);
        });
    }

    /** The problem, with the event id when the request got as far as naming one. */
    private static Problem eventProblem(Problem problem, Context ctx) {
        EventId eventId = ctx.attribute(EVENT_ID_ATTRIBUTE);
        return eventId == null ? problem : problem.forEvent(eventId);
    }

    private static void sendHttpError(HttpResponseException error, Context ctx) {
        int status = error.getStatus();
        Problem problem = switch (status) {
            case 404 -> Problem.of(404, "not-found", "Not found", "no route matches " + ctx.path());
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed",
                    ctx.method() + " is not allowed on " + ctx.path());
            case 413 -> Problem.of(413, "payload-too-large", "Payload too large", "the request body is too large");
            default -> Problem.of(status, "http-error", "HTTP error " + status, "the request could not be served");
        };
        Reply reply = Reply.problem(problem);
        if (status == 405) {
            reply = reply.withHeader("Allow", allowedMethods(error));
        }
        reply.sendTo(ctx);
    }

    /**
     * The methods the path has. Javalin finds them in its route table for its 405 and puts them, joined by
     * commas, in the one entry of the exception's details (whose key depends on the client's Accept header).
     */
    private static String allowedMethods(HttpResponseException error) {
        return error.getDetails().values().stream().findFirst().orElse("");
    }
}
