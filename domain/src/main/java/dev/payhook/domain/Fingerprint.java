package dev.payhook.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A short hash of the fields that define a payment (amount and currency, not the raw body), so that
 * re-serialised or re-ordered deliveries of one event match and a reused id with another amount does not.
 */
public record Fingerprint(String value) {

    /** 64 bits of SHA-256 in unpadded base64url. */
    public static final int LENGTH = 11;

    private static final MessageDigest SHA_256 = newSha256();

    public Fingerprint {
        if (value == null || value.length() != LENGTH) {
            throw new IllegalArgumentException("fingerprint must be " + LENGTH + " characters");
        }
    }

    public static Fingerprint of(long amount, Currency currency) {
        byte[] canonical = (amount + " " + currency.code()).getBytes(StandardCharsets.US_ASCII);
        byte[] first64Bits = Arrays.copyOf(sha256(canonical), 8);
        return new Fingerprint(Base64.getUrlEncoder().withoutPadding().encodeToString(first64Bits));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            // A clone of a ready digest skips the provider look-up that getInstance makes each time.
            return ((MessageDigest) SHA_256.clone()).digest(bytes);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
