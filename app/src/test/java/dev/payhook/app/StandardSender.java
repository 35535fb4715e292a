package dev.payhook.app;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/** Signs webhook deliveries with the Standard Webhooks reference library, as a sender's platform does. */
final class StandardSender {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Webhook webhook;

    StandardSender(String secret) {
        try {
            this.webhook = new Webhook(secret);
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("an empty secret", e);
        }
    }

    /** A fresh {@code whsec_} secret of 24 random bytes. */
    static String newSecret() {
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    HttpRequest signed(URI uri, String id, Instant at, String body) {
        try {
            return HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(at.getEpochSecond()))
                    .header("webhook-signature", webhook.sign(id, at.getEpochSecond(), body))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A request carrying the signature of {@code signedBody} but sending {@code sentBody}. */
    HttpRequest tampered(URI uri, String id, Instant at, String signedBody, String sentBody) {
        HttpRequest genuine = signed(uri, id, at, signedBody);
        HttpRequest.Builder copy = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(sentBody));
        genuine.headers().map().forEach((name, values) -> values.forEach(value -> copy.header(name, value)));
        return copy.build();
    }
}
