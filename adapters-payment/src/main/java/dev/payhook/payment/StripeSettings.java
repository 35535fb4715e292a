package dev.payhook.payment;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Stripe and what to charge: the secret API key, the API base URL (Stripe's own, or a proxy
 * or stand-in), the PaymentMethod (and its Customer, for a saved card), the bound of one HTTP call, the
 * prefix of every idempotency key sent, which keeps deployments that share a Stripe account apart, and how
 * far Stripe's search may lag behind its writes.
 */
public record StripeSettings(String apiKey, URI apiBase, String paymentMethod, Optional<String> customer,
                             Duration timeout, String idempotencyPrefix, Duration searchLag) {

    public static final URI DEFAULT_API_BASE = URI.create("https://api.stripe.com");
    /** Stripe's test-mode Visa card; live keys must name a real PaymentMethod instead. */
    public static final String TEST_PAYMENT_METHOD = "pm_card_visa";
    /**
     * The longest prefix taken: Stripe's idempotency keys have at most 255 characters, and a prefix also
     * travels as a metadata value, which Stripe caps at 500.
     */
    public static final int MAX_IDEMPOTENCY_PREFIX_LENGTH = 100;
    /**
     * How long after its creation a PaymentIntent may still be missing from search results. Stripe states
     * under a minute in normal operation and longer during incidents, when unknown outcomes cluster.
     */
    public static final Duration DEFAULT_SEARCH_LAG = Duration.ofMinutes(5);

    public StripeSettings {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
        Objects.requireNonNull(apiBase, "apiBase");
        Objects.requireNonNull(paymentMethod, "paymentMethod");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(searchLag, "searchLag");
        if (searchLag.isNegative()) {
            throw new IllegalArgumentException("searchLag must not be negative");
        }
        if (!apiBase.isAbsolute()) {
            throw new IllegalArgumentException("apiBase must be an absolute URL");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be between 1 ms and " + Integer.MAX_VALUE + " ms");
        }
        if (!isValidIdempotencyPrefix(idempotencyPrefix)) {
            throw new IllegalArgumentException("idempotencyPrefix must be 1 to " + MAX_IDEMPOTENCY_PREFIX_LENGTH
                    + " visible ASCII characters");
        }
    }

    /** A prefix Stripe takes in an {@code Idempotency-Key} header and as a metadata value. */
    public static boolean isValidIdempotencyPrefix(String prefix) {
        return prefix != null && !prefix.isEmpty() && prefix.length() <= MAX_IDEMPOTENCY_PREFIX_LENGTH
                && prefix.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    /** Whether {@code apiKey} is a live-mode key, which moves real money. */
    public static boolean isLiveKey(String apiKey) {
        return apiKey.startsWith("sk_live_") || apiKey.startsWith("rk_live_");
    }

    /** Never shows the API key, so that logging these settings cannot leak it. */
    @Override
    public String toString() {
        return "StripeSettings[apiKey=(hidden), apiBase=" + apiBase + ", paymentMethod=" + paymentMethod
                + ", customer=" + customer.orElse("(none)") + ", timeout=" + timeout
                + ", idempotencyPrefix=" + idempotencyPrefix + ", searchLag=" + searchLag + "]";
    }
}
