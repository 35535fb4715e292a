package dev.payhook.http;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/** A webhook sender that signs the way every Standard Webhooks sender does, with the reference library. */
final class Sender {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Webhook webhook;

    Sender(String secret) {
        try {
            this.webhook = new Webhook(secret);
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A fresh secret as a sender's dashboard issues it: {@code whsec_} and 24 random bytes in base64. */
    static String newSecret() {
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        return WebhookSecret.PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header value: {@code v1,<base64 HMAC>}. */
    String signature(String id, Instant at, String body) {
        try {
            return webhook.sign(id, at.getEpochSecond(), body);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder post(URI uri, String id, Instant at, String body) {
        return unsigned(uri, id, at, body).header(WebhookServer.SIGNATURE_HEADER, signature(id, at, body));
    }

    /** The request with id and timestamp headers but no signature: tests add their own. */
    static HttpRequest.Builder unsigned(URI uri, String id, Instant at, String body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header(WebhookServer.ID_HEADER, id)
                .header(WebhookServer.TIMESTAMP_HEADER, Long.toString(at.getEpochSecond()))
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
