package dev.payhook.app;

import dev.payhook.domain.RateLimit;
import dev.payhook.http.FailedSignatureLimiter;
import dev.payhook.http.ServerLimits;
import dev.payhook.http.SignatureSettings;
import dev.payhook.http.WebhookSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What guards {@code POST /webhooks} before the use case.
 *
 * @param signatures        empty: requests are not signed
 * @param instanceRateLimit the limit of each instance on its own
 * @param clusterRateLimit  the limit of all instances together, counted in Redis
 * @param failedSignatureLimit failed signature checks each client address may cause before it is refused
 *                          without one
 * @param serverLimits      header size, idle timeout, minimum body data rate
 */
public record EdgeConfig(Optional<SignatureSettings> signatures, Optional<RateLimit> instanceRateLimit,
                         Optional<RateLimit> clusterRateLimit, RateLimit failedSignatureLimit,
                         ServerLimits serverLimits) {

    /** Reads the signature, rate-limit and server-limit variables; a shared limit needs a Redis {@code store}. */
    static EdgeConfig read(Env env, StoreConfig store) {
        Optional<SignatureSettings> signatures = readSignatures(env);
        Optional<RateLimit> instanceLimit = env.rateLimit("RATE_LIMIT");
        Optional<RateLimit> clusterLimit = env.rateLimit("CLUSTER_RATE_LIMIT");
        RateLimit failedSignatureLimit = env.rateLimit("SIGNATURE_FAILURE_LIMIT", FailedSignatureLimiter.DEFAULT_LIMIT);
        if (clusterLimit.isPresent() && !(store instanceof StoreConfig.Redis)) {
            // Refused rather than ignored: a limit the operator believes in must not silently do nothing.
            env.problem("CLUSTER_RATE_LIMIT", "needs Redis (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS) to share"
                    + " the count between instances; use RATE_LIMIT for a limit per instance");
        }
        ServerLimits defaults = ServerLimits.DEFAULTS;
        ServerLimits limits = new ServerLimits(
                env.integer("MAX_HEADER_BYTES", defaults.maxHeaderBytes(), 1_024, 1_048_576),
                env.duration("HTTP_IDLE_TIMEOUT", defaults.idleTimeout()),
                env.integer("MIN_REQUEST_DATA_RATE", defaults.minRequestDataRate(), 0, 1_000_000_000));
        return new EdgeConfig(signatures, instanceLimit, clusterLimit, failedSignatureLimit, limits);
    }

    /** Secrets are separated by commas or spaces; a problem names a secret by its position, never by its value. */
    private static Optional<SignatureSettings> readSignatures(Env env) {
        Optional<String> raw = env.secret("WEBHOOK_SECRETS");
        Duration tolerance = env.duration("SIGNATURE_TOLERANCE", SignatureSettings.DEFAULT_TOLERANCE);
        boolean required = env.flag("REQUIRE_SIGNATURES", false);
        if (raw.isEmpty()) {
            if (required) {
                env.problem("REQUIRE_SIGNATURES", "is true but WEBHOOK_SECRETS is not set; give at least one whsec_"
                        + " secret, or set REQUIRE_SIGNATURES=false to accept unsigned requests");
            }
            return Optional.empty();
        }
        List<String> texts = Arrays.stream(raw.get().split("[,\\s]+")).filter(text -> !text.isEmpty()).toList();
        if (texts.isEmpty()) {
            env.problem("WEBHOOK_SECRETS", "holds no secret; give whsec_ secrets separated by commas");
            return Optional.empty();
        }
        List<WebhookSecret> secrets = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                secrets.add(WebhookSecret.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                env.problem("WEBHOOK_SECRETS", "secret " + (i + 1) + " of " + texts.size() + " " + e.getMessage());
            }
        }
        if (secrets.size() < texts.size()) {
            return Optional.empty();
        }
        return Optional.of(new SignatureSettings(secrets, tolerance));
    }
}
