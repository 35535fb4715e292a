package dev.payhook.http;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.util.Base64;

/**
 * One Standard Webhooks signing secret: {@code whsec_} followed by the base64 of random key bytes. It never
 * shows its value: {@link #toString()} is redacted and {@link #parse} errors do not repeat the text.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    /** The Standard Webhooks specification asks for keys of at least 24 random bytes. */
    public static final int MIN_KEY_BYTES = 24;

    private final Webhook webhook;

    private WebhookSecret(Webhook webhook) {
        this.webhook = webhook;
    }

    /**
     * Reads a {@code whsec_} secret. Throws {@link IllegalArgumentException} saying what is wrong with it;
     * the message never contains the secret, so it may be shown to an operator.
     */
    public static WebhookSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("does not start with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64 after " + PREFIX);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("holds " + key.length + " key bytes; a secret needs at least "
                    + MIN_KEY_BYTES + " random bytes");
        }
        try {
            return new WebhookSecret(new Webhook(text));
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("holds no key bytes");
        }
    }

    /**
     * The base64 HMAC-SHA256 of {@code id.timestamp.payload}, computed by the Standard Webhooks library
     * (its {@code v1,} prefix removed).
     */
    String signature(String id, long timestamp, String payload) {
        try {
            String versioned = webhook.sign(id, timestamp, payload);
            return versioned.substring(versioned.indexOf(',') + 1);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK and the key is not empty", e);
        }
    }

    @Override
    public String toString() {
        return PREFIX + "(redacted)";
    }
}
