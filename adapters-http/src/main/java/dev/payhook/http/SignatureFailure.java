package dev.payhook.http;

/** Why a request's signature was refused; {@link #label()} is the {@code reason} of its metric. */
enum SignatureFailure {

    MISSING_HEADERS("missing_headers",
            "the webhook-id, webhook-timestamp and webhook-signature headers are all required"),
    BAD_TIMESTAMP("bad_timestamp", "webhook-timestamp must be whole seconds since the Unix epoch"),
    EXPIRED("expired", "webhook-timestamp is too old"),
    FUTURE_TIMESTAMP("future_timestamp", "webhook-timestamp is too far in the future"),
    NO_MATCHING_SIGNATURE("no_matching_signature",
            "no v1 signature in webhook-signature matches the request with any configured secret");

    private final String label;
    private final String detail;

    SignatureFailure(String label, String detail) {
        this.label = label;
        this.detail = detail;
    }

    String label() {
        return label;
    }

    String detail() {
        return detail;
    }
}
