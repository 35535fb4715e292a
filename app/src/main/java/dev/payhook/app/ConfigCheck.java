package dev.payhook.app;

import dev.payhook.redis.RedisEndpoint;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --check-config}: reads and validates the environment exactly as a start does, then lists every
 * variable the service read with its effective value and whether the environment or the default gave it.
 * Secrets are described (where a Redis URL points, how many webhook secrets, which kind of Stripe key),
 * never shown. It connects to nothing and starts nothing.
 */
final class ConfigCheck {

    static final String HIDDEN = "(set, hidden)";
    private static final Pattern STRIPE_KEY_KIND = Pattern.compile("((?:sk|rk)_(?:test|live)_).*");

    private ConfigCheck() {
    }

    /** The printout of a valid configuration; throws {@link ConfigException} with every problem otherwise. */
    static String describe(Map<String, String> variables) {
        Env env = new Env(variables);
        ServiceConfig.from(env);
        List<Env.Reading> readings = env.readings();
        int width = readings.stream().mapToInt(reading -> reading.name().length()).max().orElse(0) + 2;
        long fromEnvironment = readings.stream().filter(Env.Reading::fromEnvironment).count();
        StringBuilder text = new StringBuilder("Configuration is valid: ").append(readings.size())
                .append(" variables read, ").append(fromEnvironment).append(" of them set in the environment.")
                .append(" Secrets are never shown.").append(System.lineSeparator()).append(System.lineSeparator());
        text.append(row(width, "VARIABLE", "SOURCE", "VALUE"));
        for (Env.Reading reading : readings) {
            String value = reading.secret() && reading.fromEnvironment()
                    ? describeSecret(reading.name(), variables.get(reading.name()).trim())
                    : reading.value();
            text.append(row(width, reading.name(), reading.fromEnvironment() ? "environment" : "default", value));
        }
        return text.toString();
    }

    /**
     * What may be said of a secret: the parts of a Redis URL that are not the password, the number of webhook
     * secrets, the kind of a Stripe key. Anything else, or anything that does not parse, is only "set".
     */
    static String describeSecret(String name, String value) {
        try {
            return switch (name) {
                case "REDIS_URL" -> RedisEndpoint.fromUrl(value).describe();
                case "REDIS_CLUSTER_NODES" -> RedisEndpoint.fromClusterNodes(value).describe();
                case "REDIS_SENTINELS" -> RedisEndpoint.fromSentinelNodes(value).describe();
                case "REDIS_SENTINEL_MASTER" -> RedisEndpoint.fromSentinelMaster(value).describe();
                case "WEBHOOK_SECRETS" -> secretCount(value);
                case "STRIPE_API_KEY" -> stripeKeyKind(value);
                default -> HIDDEN;
            };
        } catch (IllegalArgumentException unparsable) {
            return HIDDEN;
        }
    }

    private static String secretCount(String value) {
        long count = Pattern.compile("[,\\s]+").splitAsStream(value).filter(text -> !text.isEmpty()).count();
        return count + (count == 1 ? " secret" : " secrets") + " (hidden)";
    }

    private static String stripeKeyKind(String value) {
        Matcher kind = STRIPE_KEY_KIND.matcher(value);
        return kind.matches() ? kind.group(1) + "…(hidden)" : HIDDEN;
    }

    private static String row(int width, String name, String source, String value) {
        return String.format("%-" + width + "s%-13s%s%n", name, source, value);
    }
}
