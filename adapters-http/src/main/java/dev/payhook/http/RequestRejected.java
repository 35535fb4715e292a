package dev.payhook.http;

import dev.payhook.domain.EventId;
import java.time.Duration;
import java.util.Optional;

/**
 * A request refused before it reached the use case. {@code reason} is the label under which it is
 * counted in {@code webhook_rejected_requests_total}.
 */
final class RequestRejected extends RuntimeException {

    private final String reason;
    private final Problem problem;
    private final Optional<SignatureFailure> signatureFailure;
    private final Optional<EventId> eventId;

    private RequestRejected(String reason, Problem problem) {
        this(reason, problem, Optional.empty(), Optional.empty());
    }

    private RequestRejected(String reason, Problem problem, Optional<SignatureFailure> signatureFailure,
                            Optional<EventId> eventId) {
        super(problem.detail(), null, false, false);
        this.reason = reason;
        this.problem = problem;
        this.signatureFailure = signatureFailure;
        this.eventId = eventId;
    }

    static RequestRejected malformed(String detail) {
        return new RequestRejected("malformed", Problem.of(400, "invalid-request", "Invalid request", detail));
    }

    static RequestRejected invalidField(String field, String detail) {
        return new RequestRejected("malformed",
                Problem.of(400, "invalid-request", "Invalid request", detail).with("field", field));
    }

    static RequestRejected tooLarge(int limit) {
        return new RequestRejected("too_large", Problem.of(413, "payload-too-large", "Payload too large",
                "the request body exceeds the limit of " + limit + " bytes"));
    }

    static RequestRejected unsupportedMediaType(String contentType) {
        String given = contentType == null ? "no Content-Type" : "Content-Type " + contentType;
        return new RequestRejected("media_type", Problem.of(415, "unsupported-media-type",
                "Unsupported media type", "expected application/json, got " + given));
    }

    static RequestRejected badSignature(SignatureFailure failure) {
        return new RequestRejected("signature", Problem.of(401, "invalid-signature", "Invalid webhook signature",
                failure.detail()).with("reason", failure.label()), Optional.of(failure), Optional.empty());
    }

    static RequestRejected rateLimited(Duration retryAfter) {
        return new RequestRejected("rate_limited", Problem.of(429, "rate-limited", "Too many requests",
                "the webhook endpoint is over its request rate; retry after the Retry-After delay")
                .retryAfter(retryAfter));
    }

    static RequestRejected tooManyBadSignatures(Duration retryAfter) {
        return new RequestRejected("bad_signature_flood", Problem.of(429, "rate-limited", "Too many requests",
                "too many requests from this address failed their signature check; retry after the Retry-After"
                        + " delay with a valid signature")
                .retryAfter(retryAfter));
    }

    static RequestRejected bodyTimedOut() {
        return new RequestRejected("timeout", Problem.of(408, "request-timeout", "Request timeout",
                "the request body did not arrive in time"));
    }

    /** The same refusal, naming the event it was about: the body carried a readable event id. */
    RequestRejected forEvent(EventId id) {
        return new RequestRejected(reason, problem.forEvent(id), signatureFailure, Optional.of(id));
    }

    String reason() {
        return reason;
    }

    Problem problem() {
        return problem;
    }

    /** The event the refused request was about, when it got as far as naming one. */
    Optional<EventId> eventId() {
        return eventId;
    }

    /** Why the signature failed, for a request refused for its signature. */
    Optional<SignatureFailure> signatureFailure() {
        return signatureFailure;
    }

    /** The reason, with the signature failure after a colon when there is one: for the request log. */
    String logLabel() {
        return signatureFailure.map(failure -> reason + ":" + failure.label()).orElse(reason);
    }
}
