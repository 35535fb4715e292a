package dev.payhook.domain;

/** The idempotency store could not answer. Nothing may be paid while this is so. */
public final class IdempotencyStoreUnavailable extends RuntimeException {

    public IdempotencyStoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    public IdempotencyStoreUnavailable(String message) {
        super(message);
    }
}
