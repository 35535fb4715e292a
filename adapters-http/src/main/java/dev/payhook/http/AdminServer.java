package dev.payhook.http;

import dev.payhook.domain.AdminOutcome;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventAdministration;
import dev.payhook.domain.EventId;
import dev.payhook.domain.HeldRecord;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.IdempotencyStoreUnavailable;
import dev.payhook.domain.InvalidEventException;
import dev.payhook.domain.PaymentEvent;
import dev.payhook.domain.RecordPage;
import dev.payhook.domain.RecordState;
import dev.payhook.domain.StoredRecordUnreadable;
import dev.payhook.domain.TransactionId;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, on a port of its own: look at one event's record, ask the provider about an unknown or
 * failed one, release a failed one, list the records in a state. Every request must carry the admin token;
 * every call is one audit log line and a count, by action and result.
 */
public final class AdminServer implements AutoCloseable {

    /** The most event ids one page of a listing holds. */
    static final int MAX_PAGE = 1_000;
    private static final int DEFAULT_PAGE = 100;
    private static final String ACTION_ATTRIBUTE = "payhook.admin.action";
    private static final String RESULT_ATTRIBUTE = "payhook.admin.result";
    private static final String EVENT_ATTRIBUTE = "payhook.admin.event_id";
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final AdminSettings settings;
    private final EventAdministration admin;
    private final AdminToken token;
    private final MeterRegistry registry;
    private final Javalin app;

    public AdminServer(AdminSettings settings, EventAdministration admin, MeterRegistry registry) {
        this.settings = settings;
        this.admin = admin;
        this.token = new AdminToken(settings.token());
        this.registry = registry;
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.bind();
            config.jetty.port = settings.port();
            config.routes.before(this::authenticate);
            config.routes.get("/admin/events", this::list);
            config.routes.get("/admin/events/{id}", this::inspect);
            config.routes.post("/admin/events/{id}/reconcile", this::reconcile);
            config.routes.delete("/admin/events/{id}", this::release);
            config.routes.exception(AdminRefusal.class, (refusal, ctx) -> answer(ctx, refusal.reply, refusal.result));
            config.routes.exception(IdempotencyStoreUnavailable.class, (unavailable, ctx) -> answer(ctx,
                    Reply.problem(Problem.of(503, "store-unavailable", "Idempotency store unavailable",
                            StoreTrouble.reason(unavailable.kind())).retryAfter(unavailable.retryAfter())),
                    "store_unavailable"));
            config.routes.exception(StoredRecordUnreadable.class, (unreadable, ctx) -> answer(ctx,
                    Reply.problem(Problem.of(500, "unreadable-record", "Stored record unreadable",
                            unreadable.getMessage())), "unreadable_record"));
            config.routes.exception(HttpResponseException.class, (error, ctx) -> answer(ctx,
                    Reply.problem(Problem.of(error.getStatus(), error.getStatus() == 404 ? "not-found" : "http-error",
                            "Not served", ctx.method() + " " + ctx.path() + " is not part of the admin API")),
                    "not_served"));
            config.requestLogger.http((ctx, millis) -> audit(ctx));
        });
        for (String action : List.of("inspect", "reconcile", "release", "list")) {
            counter(action, "ok");
        }
    }

    public AdminServer start() {
        app.start();
        LOG.atInfo().addKeyValue("bind", settings.bind()).addKeyValue("port", app.port())
                .log("admin API listening on {}:{}", settings.bind(), app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void authenticate(Context ctx) {
        if (!token.admits(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new AdminRefusal(Reply.problem(Problem.of(401, "unauthorized", "Unauthorized",
                    "the admin API needs the admin token as 'Authorization: Bearer <token>'")), "unauthorized");
        }
    }

    private void inspect(Context ctx) {
        ctx.attribute(ACTION_ATTRIBUTE, "inspect");
        EventId id = eventId(ctx);
        HeldRecord held = admin.inspect(id).orElseThrow(() -> missing(id));
        Map<String, Object> body = describe(id, held);
        if (ctx.queryParam("amount") != null) {
            body.put("matches", held.record().fingerprint().equals(payment(ctx, id).fingerprint()));
        }
        answer(ctx, Reply.json(200, body), "ok");
    }

    private void reconcile(Context ctx) {
        ctx.attribute(ACTION_ATTRIBUTE, "reconcile");
        PaymentEvent event = payment(ctx, eventId(ctx));
        switch (admin.reconcile(event)) {
            case AdminOutcome.Reconciled reconciled -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("event_id", event.id().value());
                body.put("provider_found", reconciled.found().label());
                body.put("recorded", reconciled.recorded());
                body.put("state", RecordState.of(reconciled.now()).name());
                answer(ctx, Reply.json(200, body), reconciled.label());
            }
            case AdminOutcome other -> refuse(event.id(), other);
        }
    }

    private void release(Context ctx) {
        ctx.attribute(ACTION_ATTRIBUTE, "release");
        EventId id = eventId(ctx);
        switch (admin.release(id)) {
            case AdminOutcome.Released released -> answer(ctx, Reply.json(200, Map.of("event_id", id.value(),
                    "released", true, "was", released.was().state().name())), released.label());
            case AdminOutcome other -> refuse(id, other);
        }
    }

    private void list(Context ctx) {
        ctx.attribute(ACTION_ATTRIBUTE, "list");
        String stateName = Optional.ofNullable(ctx.queryParam("state")).orElse("").toUpperCase(Locale.ROOT);
        if (!stateName.equals("UNKNOWN") && !stateName.equals("FAILED")) {
            throw invalid("state", "state must be UNKNOWN or FAILED");
        }
        int limit = DEFAULT_PAGE;
        if (ctx.queryParam("limit") != null) {
            try {
                limit = Integer.parseInt(ctx.queryParam("limit"));
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > MAX_PAGE) {
                throw invalid("limit", "limit must be a whole number from 1 to " + MAX_PAGE);
            }
        }
        RecordPage page = admin.list(RecordState.valueOf(stateName), Optional.ofNullable(ctx.queryParam("cursor")), limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", stateName);
        body.put("event_ids", page.eventIds().stream().map(EventId::value).toList());
        body.put("next_cursor", page.next().orElse(null));
        answer(ctx, Reply.json(200, body), "ok");
    }

    /** Every outcome but the successful one of an action is a refusal with its own answer. */
    private void refuse(EventId id, AdminOutcome outcome) {
        Reply reply = switch (outcome) {
            case AdminOutcome.Missing ignored -> missing(id).reply;
            case AdminOutcome.Mismatch ignored -> Reply.problem(Problem.of(422, "payload-mismatch",
                    "Another payment", "the event's record is for another amount or currency").forEvent(id));
            case AdminOutcome.Refused refused -> Reply.problem(Problem.of(409, "refused", "Refused", refused.why())
                    .forEvent(id).with("state", refused.held().state().name()));
            case AdminOutcome.Changed ignored -> Reply.problem(Problem.of(409, "changed", "Record changed",
                    "the record changed while this request was being served; look at it again").forEvent(id));
            case AdminOutcome.Reconciled ignored -> throw new IllegalStateException("a success is not refused");
            case AdminOutcome.Released ignored -> throw new IllegalStateException("a success is not refused");
        };
        throw new AdminRefusal(reply, outcome.label());
    }

    private static Map<String, Object> describe(EventId id, HeldRecord held) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_id", id.value());
        body.put("state", held.state().name());
        body.put("remaining_ms", held.remaining().toMillis());
        switch (held.record()) {
            case IdempotencyRecord.InProgress inProgress -> body.put("attempt", inProgress.attempt());
            case IdempotencyRecord.Unknown unknown -> {
                body.put("attempt", unknown.attempt());
                body.put("reason", unknown.reason());
                unknown.reference().map(TransactionId::value).ifPresent(ref -> body.put("transaction_id", ref));
                body.put("unknown_since", unknown.since().toString());
            }
            case IdempotencyRecord.Succeeded succeeded -> body.put("transaction_id", succeeded.transactionId().value());
            case IdempotencyRecord.Declined declined -> body.put("reason", declined.reason());
            case IdempotencyRecord.Failed failed -> body.put("reason", failed.reason());
        }
        return body;
    }

    private EventId eventId(Context ctx) {
        try {
            EventId id = new EventId(ctx.pathParam("id"));
            ctx.attribute(EVENT_ATTRIBUTE, id.value());
            return id;
        } catch (InvalidEventException e) {
            throw invalid("event_id", "event_id " + e.reason());
        }
    }

    /** The payment the operator names: {@code amount} (required) and {@code currency} (the default when absent). */
    private PaymentEvent payment(Context ctx, EventId id) {
        String amount = ctx.queryParam("amount");
        if (amount == null) {
            throw invalid("amount", "name the payment: ?amount=<minor units>[&currency=<ISO 4217>]");
        }
        try {
            Currency currency = ctx.queryParam("currency") == null ? settings.defaultCurrency()
                    : Currency.of(ctx.queryParam("currency"));
            return new PaymentEvent(id, Long.parseLong(amount), currency);
        } catch (NumberFormatException e) {
            throw invalid("amount", "amount must be a whole number of minor units");
        } catch (InvalidEventException e) {
            throw invalid(e.field(), e.getMessage());
        }
    }

    private static AdminRefusal missing(EventId id) {
        return new AdminRefusal(Reply.problem(Problem.of(404, "not-found", "No record",
                "no record is held for this event").forEvent(id)), "missing");
    }

    private static AdminRefusal invalid(String field, String detail) {
        return new AdminRefusal(Reply.problem(Problem.of(400, "invalid-request", "Invalid request", detail)
                .with("field", field)), "invalid");
    }

    private static void answer(Context ctx, Reply reply, String result) {
        ctx.attribute(RESULT_ATTRIBUTE, result);
        reply.sendTo(ctx);
    }

    /** One line per call: who (the token's fingerprint, never the token), what, on which event, and how it ended. */
    private void audit(Context ctx) {
        String action = Optional.ofNullable(ctx.<String>attribute(ACTION_ATTRIBUTE)).orElse("none");
        String result = Optional.ofNullable(ctx.<String>attribute(RESULT_ATTRIBUTE)).orElse("error");
        counter(action, result).increment();
        var line = LOG.atInfo().addKeyValue("audit", "admin").addKeyValue("admin_token", token.fingerprint())
                .addKeyValue("action", action).addKeyValue("result", result).addKeyValue("status", ctx.statusCode());
        String eventId = ctx.attribute(EVENT_ATTRIBUTE);
        if (eventId != null) {
            line = line.addKeyValue("event_id", eventId);
        }
        line.log("admin {} {}: {}", ctx.method().name(), ctx.path(), result);
    }

    private Counter counter(String action, String result) {
        return Counter.builder("admin.requests")
                .description("Admin API calls, by action and result")
                .baseUnit("requests")
                .tag("action", action)
                .tag("result", result)
                .register(registry);
    }

    /** A request the admin API answers with a problem; carries the answer and its audit result. */
    private static final class AdminRefusal extends RuntimeException {

        private final transient Reply reply;
        private final String result;

        AdminRefusal(Reply reply, String result) {
            super(result, null, false, false);
            this.reply = reply;
            this.result = result;
        }
    }
}
