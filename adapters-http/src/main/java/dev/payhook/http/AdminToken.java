package dev.payhook.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The admin token, kept only as its SHA-256: a presented token is hashed and the digests compared in
 * constant time, whatever its length. Its fingerprint (a short prefix of the digest) names the caller in the
 * audit log without revealing the token.
 */
final class AdminToken {

    private static final String SCHEME = "Bearer ";

    private final byte[] digest;

    AdminToken(String token) {
        this.digest = sha256(token);
    }

    /** Whether an {@code Authorization} header carries the token. */
    boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).trim()));
    }

    /** The first 8 hex digits of the token's SHA-256. */
    String fingerprint() {
        return HexFormat.of().formatHex(digest, 0, 4);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
