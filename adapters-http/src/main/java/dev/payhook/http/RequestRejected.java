package dev.payhook.http;

/**
 * A request refused before it reached the use case. {@code reason} is the label under which it is
 * counted in {@code webhook_rejected_requests_total}.
 */
final class RequestRejected extends RuntimeException {

    private final String reason;
    private final Problem problem;

    private RequestRejected(String reason, Problem problem) {
        super(problem.detail(), null, false, false);
        this.reason = reason;
        this.problem = problem;
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

    String reason() {
        return reason;
    }

    Problem problem() {
        return problem;
    }
}
