package dev.payhook.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the Standard Webhooks signature of a request: HMAC-SHA256 over {@code id.timestamp.body} with any
 * configured secret, one of the space-separated {@code v1,} entries of {@code webhook-signature}, and a
 * timestamp within the tolerance of now.
 *
 * <p>The HMAC comes from the Standard Webhooks library. Its own {@code verify} is not used because it fixes the
 * tolerance at five minutes and reads the wall clock; the comparison here is constant-time like its own.
 */
public final class SignatureVerifier {

    private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,12}");
    private static final String VERSION_PREFIX = "v1,";

    private final List<WebhookSecret> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public SignatureVerifier(SignatureSettings settings, Clock clock) {
        this.secrets = settings.secrets();
        this.tolerance = settings.tolerance();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The checks that need neither the body nor a key: the three headers are there and the timestamp is
     * within the tolerance. Cheap, so they run before the body is read.
     *
     * @param id         the {@code webhook-id} header, or null
     * @param timestamp  the {@code webhook-timestamp} header, or null
     * @param signatures the {@code webhook-signature} header, or null
     * @return why the request is refused, or empty when the HMAC is worth computing
     */
    Optional<SignatureFailure> checkHeaders(String id, String timestamp, String signatures) {
        if (isBlank(id) || isBlank(timestamp) || isBlank(signatures)) {
            return Optional.of(SignatureFailure.MISSING_HEADERS);
        }
        if (!EPOCH_SECONDS.matcher(timestamp).matches()) {
            return Optional.of(SignatureFailure.BAD_TIMESTAMP);
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(tolerance))) {
            return Optional.of(SignatureFailure.EXPIRED);
        }
        if (signedAt.isAfter(now.plus(tolerance))) {
            return Optional.of(SignatureFailure.FUTURE_TIMESTAMP);
        }
        return Optional.empty();
    }

    /**
     * Every check: the headers, then the HMAC of {@code id.timestamp.body} against each secret.
     *
     * @param body the raw request body
     * @return why the request is refused, or empty when one signature matches
     */
    Optional<SignatureFailure> check(String id, String timestamp, String signatures, byte[] body) {
        Optional<SignatureFailure> headers = checkHeaders(id, timestamp, signatures);
        if (headers.isPresent()) {
            return headers;
        }
        Optional<String> payload = strictUtf8(body);
        if (payload.isEmpty()) {
            return Optional.of(SignatureFailure.NO_MATCHING_SIGNATURE);
        }
        long seconds = Long.parseLong(timestamp);
        for (WebhookSecret secret : secrets) {
            byte[] expected = secret.signature(id, seconds, payload.get()).getBytes(StandardCharsets.US_ASCII);
            if (anyMatches(signatures, expected)) {
                return Optional.empty();
            }
        }
        return Optional.of(SignatureFailure.NO_MATCHING_SIGNATURE);
    }

    private static boolean anyMatches(String header, byte[] expected) {
        boolean matched = false;
        for (String entry : header.split(" ")) {
            if (entry.startsWith(VERSION_PREFIX)) {
                byte[] given = entry.substring(VERSION_PREFIX.length()).getBytes(StandardCharsets.US_ASCII);
                // No early exit: every entry is compared, each in constant time.
                matched |= MessageDigest.isEqual(given, expected);
            }
        }
        return matched;
    }

    /**
     * The library signs a String's UTF-8 bytes. A strict decode keeps that equal to the raw body: valid UTF-8
     * round-trips byte for byte, and anything else cannot carry a valid signature (nor be JSON).
     */
    private static Optional<String> strictUtf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
