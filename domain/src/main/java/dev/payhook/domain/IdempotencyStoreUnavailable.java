package dev.payhook.domain;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The idempotency store could not answer. Nothing may be paid while this is so. {@link #kind()} says what
 * went wrong, for operators and metrics; {@link #retryAfter()} when a sender should try again.
 */
public final class IdempotencyStoreUnavailable extends RuntimeException {

    /** How long a sender should wait when the store did not answer: outages are usually short. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

    /** What kind of trouble the store is in. */
    public enum Kind {
        /** No answer within the command timeout (a stalled or overloaded server). */
        TIMEOUT,
        /** No connection: refused, reset, unreachable. */
        CONNECTION,
        /** The server refused the credentials. */
        AUTHENTICATION,
        /** The server is a read-only replica (a failover in progress, or a wrong address). */
        READ_ONLY,
        /** The cluster is down, moving slots, or has no node for the key. */
        CLUSTER,
        /** The store holds as many records as it may: new events must wait. */
        FULL,
        /** Anything else the store reported. */
        OTHER;

        /** The name used in metrics and logs. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final Duration retryAfter;

    public IdempotencyStoreUnavailable(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, DEFAULT_RETRY_AFTER);
    }

    public IdempotencyStoreUnavailable(Kind kind, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Kind kind() {
        return kind;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
