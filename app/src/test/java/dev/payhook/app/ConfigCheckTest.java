package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What {@code --check-config} prints: every variable read, its effective value and source, no secret. */
class ConfigCheckTest {

    private static final Pattern DOCUMENTED_VARIABLE = Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_]*)` \\|");
    private static final Pattern PRINTED_ROW = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*) +(environment|default) +(.*)$");
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "check-config-webhook-key-32-bytes".getBytes());
    private static final String ADMIN_TOKEN = "ChkCfgAdminToken0123456789abcdef0123";

    /** Every part switched on, so that every variable is read: Stripe, the admin API, signatures. */
    private static Map<String, String> everythingOn() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PAYMENT_GATEWAY", "stripe");
        variables.put("STRIPE_API_KEY", "sk_live_ChkCfgStripeKey42");
        variables.put("STRIPE_PAYMENT_METHOD", "pm_1ChkCfgSavedCard");
        variables.put("STRIPE_CUSTOMER", "cus_ChkCfgCustomer");
        variables.put("ADMIN_PORT", "9091");
        variables.put("ADMIN_TOKEN", ADMIN_TOKEN);
        variables.put("WEBHOOK_SECRETS", WEBHOOK_SECRET + "," + WEBHOOK_SECRET);
        variables.put("REDIS_URL", "rediss://app:ChkCfgRedisPass9@cache.internal:6380/2");
        return variables;
    }

    @Test
    void every_documented_variable_is_printed_and_every_printed_variable_is_documented() throws IOException {
        Set<String> documented = matches(DOCUMENTED_VARIABLE,
                Files.readString(docs().resolve("configuration.md")));
        Set<String> printed = printed(ConfigCheck.describe(everythingOn())).keySet();

        assertTrue(documented.size() >= 40, documented::toString);
        assertEquals(documented, printed);
    }

    @Test
    void each_value_is_the_effective_one_with_where_it_came_from() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PORT", "9000");
        variables.put("REDIS_CLUSTER_NODES", "10.0.0.1:7000,10.0.0.2:7000");
        variables.put("SUCCESS_TTL", "48h");
        Map<String, String[]> rows = printed(ConfigCheck.describe(variables));

        assertRow(rows, "PORT", "environment", "9000");
        assertRow(rows, "SUCCESS_TTL", "environment", "2d");
        assertRow(rows, "FAILURE_TTL", "default", "1h");
        assertRow(rows, "LEASE_TTL", "default", "40s");
        assertRow(rows, "REDIS_CLUSTER_NODES", "environment", "cluster [10.0.0.1:7000, 10.0.0.2:7000]");
        assertRow(rows, "REDIS_URL", "default", "(not set)");
        assertRow(rows, "SIGNATURE_FAILURE_LIMIT", "default", "60/1m");
        assertRow(rows, "SIMULATED_FAILURE_RATE", "default", "0");
        assertRow(rows, "PAYMENT_BREAKER_FAILURE_RATE", "default", "0.5");
        assertRow(rows, "RATE_LIMIT", "default", "(not set)");
        assertRow(rows, "LOG_FORMAT", "default", "text");
    }

    @Test
    void secrets_are_described_by_what_is_not_secret_in_them_and_never_shown() {
        String printout = ConfigCheck.describe(everythingOn());
        Map<String, String[]> rows = printed(printout);

        assertRow(rows, "REDIS_URL", "environment", "rediss://cache.internal:6380/2 (with AUTH)");
        assertRow(rows, "WEBHOOK_SECRETS", "environment", "2 secrets (hidden)");
        assertRow(rows, "STRIPE_API_KEY", "environment", "sk_live_…(hidden)");
        assertRow(rows, "ADMIN_TOKEN", "environment", "(set, hidden)");
        SecretLeaks.assertAbsent("ChkCfgRedisPass9", Map.of("the printout", printout));
        SecretLeaks.assertAbsent(SecretLeaks.keyOf(WEBHOOK_SECRET), Map.of("the printout", printout));
        SecretLeaks.assertAbsent("ChkCfgStripeKey42", Map.of("the printout", printout));
        SecretLeaks.assertAbsent(ADMIN_TOKEN, Map.of("the printout", printout));
    }

    @Test
    void sentinel_urls_show_their_hosts_and_options_but_not_their_passwords() {
        String printout = ConfigCheck.describe(Map.of(
                "REDIS_SENTINELS", "rediss://:ChkCfgWatchPass1@s1:26379,rediss://:ChkCfgWatchPass1@s2",
                "REDIS_SENTINEL_MASTER", "rediss://app:ChkCfgDataPass1@mymaster/3"));
        Map<String, String[]> rows = printed(printout);

        assertRow(rows, "REDIS_SENTINELS", "environment", "[s1:26379, s2:26379] (TLS) (with AUTH)");
        assertRow(rows, "REDIS_SENTINEL_MASTER", "environment", "mymaster/3 (TLS) (with AUTH)");
        SecretLeaks.assertAbsent("ChkCfgWatchPass1", Map.of("the printout", printout));
        SecretLeaks.assertAbsent("ChkCfgDataPass1", Map.of("the printout", printout));
    }

    @Test
    void an_invalid_configuration_gets_the_problems_a_start_would_report() {
        Map<String, String> invalid = Map.of("PORT", "x", "LEASE_TTL", "5s", "ADMIN_TOKEN", "short");

        ConfigException check = assertThrows(ConfigException.class, () -> ConfigCheck.describe(invalid));
        ConfigException start = assertThrows(ConfigException.class, () -> ServiceConfig.from(invalid));
        assertEquals(start.problems(), check.problems());
        assertEquals(3, check.problems().size(), check::getMessage);
    }

    private static void assertRow(Map<String, String[]> rows, String name, String source, String value) {
        String[] row = rows.get(name);
        assertTrue(row != null, name + " is not printed");
        assertEquals(source, row[0], name);
        assertEquals(value, row[1], name);
    }

    /** Each printed variable with its source and value. */
    private static Map<String, String[]> printed(String printout) {
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher row = PRINTED_ROW.matcher(printout);
        while (row.find()) {
            rows.put(row.group(1), new String[] {row.group(2), row.group(3).strip()});
        }
        return rows;
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static Path docs() {
        String deploy = System.getProperty("payhook.deploy");
        if (deploy == null) {
            throw new IllegalStateException("system property payhook.deploy is not set; run through Maven: ./mvnw verify");
        }
        return Path.of(deploy).toAbsolutePath().normalize().resolveSibling("docs");
    }
}
