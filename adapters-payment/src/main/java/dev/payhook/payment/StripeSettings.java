package dev.payhook.payment;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Stripe and what to charge: the secret API key, the API base URL (Stripe's own, or a proxy
 * or stand-in), the PaymentMethod (and its Customer, for a saved card) and the bound of one HTTP call.
 */
public record StripeSettings(String apiKey, URI apiBase, String paymentMethod, Optional<String> customer,
                             Duration timeout) {

    public static final URI DEFAULT_API_BASE = URI.create("https://api.stripe.com");
    /** Stripe's test-mode Visa card; live keys must name a real PaymentMethod instead. */
    public static final String TEST_PAYMENT_METHOD = "pm_card_visa";

    public StripeSettings {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
        Objects.requireNonNull(apiBase, "apiBase");
        Objects.requireNonNull(paymentMethod, "paymentMethod");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(timeout, "timeout");
        if (!apiBase.isAbsolute()) {
            throw new IllegalArgumentException("apiBase must be an absolute URL");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be between 1 ms and " + Integer.MAX_VALUE + " ms");
        }
    }

    /** Whether {@code apiKey} is a live-mode key, which moves real money. */
    public static boolean isLiveKey(String apiKey) {
        return apiKey.startsWith("sk_live_") || apiKey.startsWith("rk_live_");
    }

    /** Never shows the API key, so that logging these settings cannot leak it. */
    @Override
    public String toString() {
        return "StripeSettings[apiKey=(hidden), apiBase=" + apiBase + ", paymentMethod=" + paymentMethod
                + ", customer=" + customer.orElse("(none)") + ", timeout=" + timeout + "]";
    }
}
