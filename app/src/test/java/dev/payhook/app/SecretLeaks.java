package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.Optional;

/**
 * Looks for a secret in text that someone other than its owner may see: logs, configuration errors, HTTP
 * responses, metrics. A piece of the secret counts too, so that a value cut short for display is caught.
 */
final class SecretLeaks {

    /** Long enough that a random secret's piece does not turn up by chance, short enough to catch a truncation. */
    static final int PIECE = 8;

    private SecretLeaks() {
    }

    /** The first piece of {@code secret} found in {@code text}. */
    static Optional<String> findIn(String text, String secret) {
        if (secret.length() <= PIECE) {
            return text.contains(secret) ? Optional.of(secret) : Optional.empty();
        }
        for (int start = 0; start + PIECE <= secret.length(); start++) {
            String piece = secret.substring(start, start + PIECE);
            if (text.contains(piece)) {
                return Optional.of(piece);
            }
        }
        return Optional.empty();
    }

    /**
     * Fails naming the place when {@code secret} or a piece of it appears in any of {@code places} (a name for
     * each text, e.g. "process output", "response to POST /webhooks", "GET /metrics").
     */
    static void assertAbsent(String secret, Map<String, String> places) {
        places.forEach((place, text) -> findIn(text, secret).ifPresent(piece ->
                fail("a secret leaked into " + place + " (the piece '" + piece.substring(0, 2) + "…')")));
    }

    /**
     * The random part of a prefixed secret ({@code whsec_…}, {@code sk_…}): the prefix alone is not a secret and
     * appears in messages.
     */
    static String keyOf(String prefixedSecret) {
        return prefixedSecret.substring(prefixedSecret.lastIndexOf('_') + 1);
    }
}
