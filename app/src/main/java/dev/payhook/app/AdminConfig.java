package dev.payhook.app;

import dev.payhook.domain.Currency;
import dev.payhook.http.AdminSettings;
import java.util.Optional;

/** The admin API, off unless {@code ADMIN_PORT} is set; read from ADMIN_PORT, ADMIN_BIND and ADMIN_TOKEN. */
final class AdminConfig {

    private AdminConfig() {
    }

    /** Every problem is reported by name; the token is a secret and never repeated. */
    static Optional<AdminSettings> read(Env env, int webhookPort, Currency defaultCurrency) {
        Optional<String> port = env.optional("ADMIN_PORT");
        Optional<String> token = env.secret("ADMIN_TOKEN");
        String bind = env.text("ADMIN_BIND", "127.0.0.1");
        if (port.isEmpty()) {
            if (token.isPresent()) {
                env.problem("ADMIN_TOKEN", "is set but ADMIN_PORT is not; set ADMIN_PORT to turn the admin API on,"
                        + " or unset ADMIN_TOKEN");
            }
            return Optional.empty();
        }
        int adminPort = env.integer("ADMIN_PORT", -1, 1, 65_535);
        if (adminPort != -1 && adminPort == webhookPort) {
            env.problem("ADMIN_PORT", "must differ from PORT (" + webhookPort + ")");
        }
        if (token.isEmpty()) {
            env.problem("ADMIN_TOKEN", "must be set when ADMIN_PORT is set: every admin request must carry it");
        } else if (token.get().length() < AdminSettings.MIN_TOKEN_LENGTH) {
            env.problem("ADMIN_TOKEN", "must have at least " + AdminSettings.MIN_TOKEN_LENGTH + " characters (it has "
                    + token.get().length() + "); e.g. openssl rand -hex 32");
        }
        if (env.hasProblems()) {
            return Optional.empty();
        }
        return Optional.of(new AdminSettings(bind, adminPort, token.get(), defaultCurrency));
    }
}
