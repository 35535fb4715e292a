package dev.payhook.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The {@code X-Request-Id} of an answer and of its log line: the caller's, when it is short and plain enough
 * to echo and log as it is, else a new one.
 */
final class RequestIds {

    static final String HEADER = "X-Request-Id";
    /** The log field that ties every line written while serving a request to that request. */
    static final String LOG_FIELD = "request_id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** {@code given} (the caller's header, or null) if it is safe, else a new random id. */
    static String choose(String given) {
        return given != null && SAFE.matcher(given).matches() ? given : fresh();
    }

    /**
     * A random (version 4) UUID from the thread's own generator: request ids tell log lines apart and need not
     * be unguessable, and {@link UUID#randomUUID()} would read the kernel's entropy under one lock per request.
     */
    static String fresh() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & ~(0x3L << 62) | (0x2L << 62);
        return new UUID(high, low).toString();
    }
}
