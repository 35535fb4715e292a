package dev.payhook.http;

import dev.payhook.domain.Currency;
import java.util.Objects;

/**
 * Where the admin API listens and the token every request must carry.
 *
 * @param bind            the address to listen on; loopback unless operators are meant to reach it from elsewhere
 * @param port            its own port, apart from the webhook endpoint's
 * @param token           the bearer token; a secret, never shown
 * @param defaultCurrency the currency of a payment named by amount alone
 */
public record AdminSettings(String bind, int port, String token, Currency defaultCurrency) {

    public static final int MIN_TOKEN_LENGTH = 32;

    public AdminSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(defaultCurrency, "defaultCurrency");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (token == null || token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("the token must have at least " + MIN_TOKEN_LENGTH + " characters");
        }
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "AdminSettings[bind=" + bind + ", port=" + port + ", token=(hidden)]";
    }
}
