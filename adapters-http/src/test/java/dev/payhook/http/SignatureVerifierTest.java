package dev.payhook.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.fixtures.MutableClock;
import dev.payhook.http.metrics.HttpMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {

    /** The test vector published with the Standard Webhooks specification. */
    static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long VECTOR_TIMESTAMP = 1614265330;
    static final String VECTOR_PAYLOAD = "{\"test\": 2432232314}";
    static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(VECTOR_TIMESTAMP));

    private SignatureVerifier verifier(String... secrets) {
        return new SignatureVerifier(new SignatureSettings(
                List.of(secrets).stream().map(WebhookSecret::parse).toList(), Duration.ofMinutes(5)), clock);
    }

    private Optional<SignatureFailure> checkVector(SignatureVerifier verifier, String signatures, String payload) {
        return verifier.check(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), signatures,
                payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_specification_test_vector_verifies() {
        assertEquals(Optional.empty(), checkVector(verifier(VECTOR_SECRET), VECTOR_SIGNATURE, VECTOR_PAYLOAD));
    }

    @Test
    void the_reference_sender_produces_the_test_vector_signature() {
        assertEquals(VECTOR_SIGNATURE, new Sender(VECTOR_SECRET)
                .signature(VECTOR_ID, Instant.ofEpochSecond(VECTOR_TIMESTAMP), VECTOR_PAYLOAD));
    }

    @Test
    void one_changed_byte_of_the_test_vector_body_fails() {
        assertEquals(Optional.of(SignatureFailure.NO_MATCHING_SIGNATURE),
                checkVector(verifier(VECTOR_SECRET), VECTOR_SIGNATURE, "{\"test\": 2432232315}"));
    }

    @Test
    void the_test_vector_fails_with_another_secret() {
        assertEquals(Optional.of(SignatureFailure.NO_MATCHING_SIGNATURE),
                checkVector(verifier(Sender.newSecret()), VECTOR_SIGNATURE, VECTOR_PAYLOAD));
    }

    @Test
    void any_of_several_secrets_verifies_during_a_rotation() {
        assertEquals(Optional.empty(),
                checkVector(verifier(Sender.newSecret(), VECTOR_SECRET), VECTOR_SIGNATURE, VECTOR_PAYLOAD));
    }

    @Test
    void any_v1_entry_of_a_multi_signature_header_may_match() {
        String header = "v1,bm90IGEgc2lnbmF0dXJl v1a,ignored " + VECTOR_SIGNATURE + " v2,newer";

        assertEquals(Optional.empty(), checkVector(verifier(VECTOR_SECRET), header, VECTOR_PAYLOAD));
    }

    @Test
    void entries_of_other_versions_are_never_compared() {
        String otherVersion = VECTOR_SIGNATURE.replace("v1,", "v2,");

        assertEquals(Optional.of(SignatureFailure.NO_MATCHING_SIGNATURE),
                checkVector(verifier(VECTOR_SECRET), otherVersion, VECTOR_PAYLOAD));
    }

    @Test
    void timestamps_at_the_edge_of_the_tolerance_pass_and_beyond_it_fail() {
        SignatureVerifier verifier = verifier(VECTOR_SECRET);

        clock.advance(Duration.ofMinutes(5));
        assertEquals(Optional.empty(), checkVector(verifier, VECTOR_SIGNATURE, VECTOR_PAYLOAD));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of(SignatureFailure.EXPIRED), checkVector(verifier, VECTOR_SIGNATURE, VECTOR_PAYLOAD));

        clock.advance(Duration.ofSeconds(-601));
        assertEquals(Optional.empty(), checkVector(verifier, VECTOR_SIGNATURE, VECTOR_PAYLOAD));
        clock.advance(Duration.ofSeconds(-1));
        assertEquals(Optional.of(SignatureFailure.FUTURE_TIMESTAMP),
                checkVector(verifier, VECTOR_SIGNATURE, VECTOR_PAYLOAD));
    }

    @Test
    void a_missing_or_blank_header_is_reported_as_such() {
        SignatureVerifier verifier = verifier(VECTOR_SECRET);
        byte[] body = VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(VECTOR_TIMESTAMP);

        assertEquals(Optional.of(SignatureFailure.MISSING_HEADERS), verifier.check(null, timestamp, VECTOR_SIGNATURE, body));
        assertEquals(Optional.of(SignatureFailure.MISSING_HEADERS), verifier.check(VECTOR_ID, null, VECTOR_SIGNATURE, body));
        assertEquals(Optional.of(SignatureFailure.MISSING_HEADERS), verifier.check(VECTOR_ID, timestamp, " ", body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1614265330.0", "-1614265330", "+1614265330", "16142653300000000000", "now", "0x60377C32"})
    void a_timestamp_that_is_not_whole_epoch_seconds_is_refused(String timestamp) {
        assertEquals(Optional.of(SignatureFailure.BAD_TIMESTAMP), verifier(VECTOR_SECRET)
                .check(VECTOR_ID, timestamp, VECTOR_SIGNATURE, VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_body_that_is_not_utf8_never_verifies() {
        byte[] body = {'{', '"', 't', '"', ':', (byte) 0xff, '}'};
        String signature = new Sender(VECTOR_SECRET).signature(VECTOR_ID, Instant.ofEpochSecond(VECTOR_TIMESTAMP),
                new String(body, StandardCharsets.UTF_8));

        assertEquals(Optional.of(SignatureFailure.NO_MATCHING_SIGNATURE),
                verifier(VECTOR_SECRET).check(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), signature, body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!", "whsec_c2hvcnQ=", "whsec_", ""})
    void a_malformed_secret_is_refused_without_repeating_it(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse(text));

        String afterPrefix = text.replace(WebhookSecret.PREFIX, "");
        assertFalse(!afterPrefix.isEmpty() && error.getMessage().contains(afterPrefix), error.getMessage());
    }

    @Test
    void every_signature_failure_is_a_reason_exported_from_start_up() {
        assertEquals(Set.copyOf(HttpMetrics.SIGNATURE_FAILURE_REASONS),
                Arrays.stream(SignatureFailure.values()).map(SignatureFailure::label).collect(Collectors.toSet()));
    }

    @Test
    void a_secret_never_shows_its_value() {
        String shown = WebhookSecret.parse(VECTOR_SECRET).toString();

        assertFalse(shown.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), shown);
        assertTrue(shown.startsWith(WebhookSecret.PREFIX));
    }
}
