package dev.payhook.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@code POST /webhooks} checks Standard Webhooks signatures.
 *
 * @param secrets   every secret a sender may sign with; more than one while a secret is being rotated
 * @param tolerance how far {@code webhook-timestamp} may lie from now, in either direction
 */
public record SignatureSettings(List<WebhookSecret> secrets, Duration tolerance) {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    public SignatureSettings {
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(tolerance, "tolerance");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed to check signatures");
        }
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance must be positive");
        }
    }
}
