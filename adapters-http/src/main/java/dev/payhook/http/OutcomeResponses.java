package dev.payhook.http;

import dev.payhook.domain.WebhookOutcome;
import dev.payhook.domain.WebhookOutcome.AlreadyProcessed;
import dev.payhook.domain.WebhookOutcome.Declined;
import dev.payhook.domain.WebhookOutcome.GatewayUnavailable;
import dev.payhook.domain.WebhookOutcome.InProgress;
import dev.payhook.domain.WebhookOutcome.NotPayable;
import dev.payhook.domain.WebhookOutcome.PayloadMismatch;
import dev.payhook.domain.WebhookOutcome.PaymentFailed;
import dev.payhook.domain.WebhookOutcome.PaymentPending;
import dev.payhook.domain.WebhookOutcome.Processed;
import dev.payhook.domain.WebhookOutcome.RecentlyFailed;
import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP answer to each outcome of the use case (DESIGN.md §3), in one exhaustive switch. */
final class OutcomeResponses {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private OutcomeResponses() {
    }

    static Reply toReply(WebhookOutcome outcome) {
        String id = outcome.eventId().value();
        return switch (outcome) {
            case Processed processed -> Reply.json(200, body(
                    "status", "success",
                    "transaction_id", processed.transactionId().value()));
            case AlreadyProcessed replay -> Reply.json(200, body(
                    "status", "already_processed",
                    "event_id", id,
                    "transaction_id", replay.transactionId().value()))
                    .withHeader(REPLAYED_HEADER, "true");
            case Declined declined -> {
                Reply reply = Reply.json(200, body("status", "declined", "event_id", id, "reason", declined.reason()));
                yield declined.replayed() ? reply.withHeader(REPLAYED_HEADER, "true") : reply;
            }
            case InProgress inProgress -> Reply.problem(Problem.of(409, "in-progress", "Event is being processed",
                            "another delivery of this event is being processed; retry after its lease ends")
                    .forEvent(outcome.eventId()).retryAfter(inProgress.retryAfter()));
            case PaymentFailed failed -> Reply.problem(Problem.of(502, "payment-failed", "Payment gateway failed",
                            "the payment provider refused the request and charged nothing: " + failed.reason()
                                    + "; retries are held off until the failure record expires")
                    .forEvent(outcome.eventId()));
            case RecentlyFailed recentlyFailed -> Reply.problem(Problem.of(503, "recently-failed",
                            "Payment recently failed",
                            "an earlier delivery of this event failed at the payment gateway; retry later")
                    .forEvent(outcome.eventId()).retryAfter(recentlyFailed.retryAfter()));
            case PayloadMismatch ignored -> Reply.problem(Problem.of(422, "payload-mismatch",
                            "Event id reused with a different payload",
                            "this event id was already received with another amount or currency")
                    .forEvent(outcome.eventId()));
            case PaymentPending pendingOutcome -> Reply.problem(Problem.of(503, "payment-outcome-unknown",
                            "Payment outcome unknown",
                            "the payment provider's answer left open whether it paid; nothing will be charged again"
                                    + " before the provider has been asked, after the Retry-After delay")
                    .forEvent(outcome.eventId()).retryAfter(pendingOutcome.retryAfter()));
            case NotPayable notPayable -> Reply.problem(Problem.of(422, "not-payable", "Payment not accepted",
                            "the payment provider does not accept this payment: " + notPayable.rule())
                    .forEvent(outcome.eventId()));
            case GatewayUnavailable unavailable -> Reply.problem(Problem.of(503, "gateway-unavailable",
                            "Payment gateway unavailable",
                            "the payment gateway is not accepting requests: " + unavailable.reason())
                    .forEvent(outcome.eventId()).retryAfter(unavailable.retryAfter()));
        };
    }

    private static Map<String, Object> body(String... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return body;
    }
}
