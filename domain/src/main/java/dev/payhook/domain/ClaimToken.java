package dev.payhook.domain;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** The random token that tells one claim on an event from every other; completion is fenced on it. */
public record ClaimToken(String value) {

    /** 128 random bits in unpadded base64url. */
    public static final int LENGTH = 22;

    public ClaimToken {
        if (value == null || value.length() != LENGTH || !isBase64Url(value)) {
            throw new IllegalArgumentException("claim token must be " + LENGTH + " base64url characters");
        }
    }

    private static boolean isBase64Url(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * 128 random bits per token, from the calling thread's own generator: a token only has to differ from
     * every other claim's (fencing is between our own workers, not against an attacker), and a shared
     * SecureRandom would make every claim queue on one lock and read the kernel's entropy.
     */
    public static Supplier<ClaimToken> random() {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return () -> {
            byte[] bytes = new byte[16];
            ThreadLocalRandom.current().nextBytes(bytes);
            return new ClaimToken(encoder.encodeToString(bytes));
        };
    }

    @Override
    public String toString() {
        return value;
    }
}
