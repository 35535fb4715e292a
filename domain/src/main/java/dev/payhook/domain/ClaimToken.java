package dev.payhook.domain;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/** The random token that tells one claim on an event from every other; completion is fenced on it. */
public record ClaimToken(String value) {

    /** 128 random bits in unpadded base64url. */
    public static final int LENGTH = 22;

    public ClaimToken {
        if (value == null || value.length() != LENGTH || !value.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("claim token must be " + LENGTH + " base64url characters");
        }
    }

    /** Tokens from a {@link SecureRandom}: unguessable, so no other worker can complete our claim. */
    public static Supplier<ClaimToken> secureRandom() {
        SecureRandom random = new SecureRandom();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return () -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return new ClaimToken(encoder.encodeToString(bytes));
        };
    }

    @Override
    public String toString() {
        return value;
    }
}
