package dev.payhook.http;

import dev.payhook.domain.IdempotencyStoreUnavailable.Kind;

/** What each kind of store failure means, in the words readiness answers and logs use. */
final class StoreTrouble {

    private StoreTrouble() {
    }

    static String reason(Kind kind) {
        return switch (kind) {
            case TIMEOUT -> "the idempotency store did not answer in time";
            case CONNECTION -> "the idempotency store cannot be reached";
            case AUTHENTICATION -> "the idempotency store refused the credentials";
            case READ_ONLY -> "the idempotency store is a read-only replica";
            case CLUSTER -> "the Redis Cluster cannot serve the key";
            case FULL -> "the idempotency store is full";
            case OTHER -> "the idempotency store reported an error";
        };
    }
}
