package dev.payhook.app;

import dev.payhook.domain.RateLimit;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads environment variables and collects every problem instead of stopping at the first, so that
 * one start-up reports all of them. A bad value yields the fallback so reading can go on.
 * Values read with {@link #secret} are never repeated in a problem.
 *
 * <p>It also records each variable it is asked for, with the value it settled on, so that
 * {@code --check-config} prints exactly what the service reads ({@link #readings()}).
 */
final class Env {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    private static final Pattern RATE = Pattern.compile("(\\d{1,9})/(\\d{0,12})(ms|s|m|h|d)");
    private static final String DURATION_HINT = "use a whole number with ms, s, m, h or d, e.g. 500ms, 30s, 5m, 24h, 7d";
    static final String NOT_SET = "(not set)";

    private final Map<String, String> variables;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Reading> readings = new LinkedHashMap<>();

    /**
     * One variable as read: whether the environment set it, and the effective value; for a secret only
     * whether it is set, never the value.
     */
    record Reading(String name, boolean fromEnvironment, boolean secret, String value) {
    }

    Env(Map<String, String> variables) {
        this.variables = variables;
    }

    /** The value, if set and not blank. */
    Optional<String> optional(String name) {
        Optional<String> value = raw(name);
        return record(name, value, value.orElse(NOT_SET));
    }

    /** The names of the variables set (and not blank) that start with {@code prefix}, sorted. */
    List<String> namesStartingWith(String prefix) {
        return variables.keySet().stream()
                .filter(name -> name.startsWith(prefix) && optional(name).isPresent())
                .sorted()
                .toList();
    }

    /** Like {@link #optional}, for values that must never be printed. */
    Optional<String> secret(String name) {
        Optional<String> value = raw(name);
        readings.put(name, new Reading(name, value.isPresent(), true, value.isPresent() ? "(set, hidden)" : NOT_SET));
        return value;
    }

    String text(String name, String fallback) {
        return record(name, raw(name).orElse(fallback), null);
    }

    int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = raw(name);
        if (raw.isEmpty()) {
            return record(name, fallback, null);
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return record(name, value, null);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name, quoted(raw.get()) + " is not a whole number between " + min + " and " + max);
        return record(name, fallback, null);
    }

    /** A probability: a decimal number from 0 to 1. */
    double rate(String name, double fallback) {
        Optional<String> raw = raw(name);
        double value = fallback;
        if (raw.isPresent()) {
            try {
                double parsed = Double.parseDouble(raw.get());
                if (parsed >= 0 && parsed <= 1) {
                    value = parsed;
                } else {
                    problem(name, quoted(raw.get()) + " is not a number between 0 and 1");
                }
            } catch (NumberFormatException e) {
                problem(name, quoted(raw.get()) + " is not a number between 0 and 1");
            }
        }
        return record(name, value, BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    }

    /** A positive duration. */
    Duration duration(String name, Duration fallback) {
        Duration value = parseDuration(name, fallback);
        if (value.isZero()) {
            problem(name, "must be longer than zero");
            value = fallback;
        }
        return record(name, value, format(value));
    }

    /** A duration that may be zero. */
    Duration durationOrZero(String name, Duration fallback) {
        Duration value = parseDuration(name, fallback);
        return record(name, value, format(value));
    }

    private Duration parseDuration(String name, Duration fallback) {
        Optional<String> raw = raw(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        Matcher matcher = DURATION.matcher(raw.get().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            problem(name, quoted(raw.get()) + " is not a duration; " + DURATION_HINT);
            return fallback;
        }
        return duration(Long.parseLong(matcher.group(1)), matcher.group(2));
    }

    /**
     * A request rate, {@code <count>/<duration>}: {@code 100/1s}, {@code 6000/1m}, or with a bare unit,
     * {@code 100/s}. Empty when the variable is not set.
     */
    Optional<RateLimit> rateLimit(String name) {
        Optional<RateLimit> value = parseRateLimit(name);
        return record(name, value, value.map(Env::format).orElse(NOT_SET));
    }

    /** Like {@link #rateLimit(String)}, with a limit that applies when the variable is not set. */
    RateLimit rateLimit(String name, RateLimit fallback) {
        RateLimit value = parseRateLimit(name).orElse(fallback);
        return record(name, value, format(value));
    }

    private Optional<RateLimit> parseRateLimit(String name) {
        Optional<String> raw = raw(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = RATE.matcher(raw.get().toLowerCase(Locale.ROOT).replace(" ", ""));
        if (matcher.matches()) {
            long count = Long.parseLong(matcher.group(1));
            long amount = matcher.group(2).isEmpty() ? 1 : Long.parseLong(matcher.group(2));
            Duration period = duration(amount, matcher.group(3));
            if (count > 0 && !period.isZero()) {
                return Optional.of(new RateLimit(count, period));
            }
        }
        problem(name, quoted(raw.get()) + " is not a rate; use <count>/<duration> with a count and a duration above"
                + " zero, e.g. 100/1s, 6000/1m, 50/s");
        return Optional.empty();
    }

    private static Duration duration(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    boolean flag(String name, boolean fallback) {
        Optional<String> raw = raw(name);
        if (raw.isEmpty()) {
            return record(name, fallback, null);
        }
        return record(name, switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> {
                problem(name, quoted(raw.get()) + " is not a boolean; use true or false");
                yield fallback;
            }
        }, null);
    }

    /** One of {@code allowed} (case-insensitive), returned in lower case. */
    String choice(String name, String fallback, List<String> allowed) {
        String given = raw(name).orElse(fallback);
        String value = given.toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            problem(name, quoted(given) + " is not one of " + String.join(", ", allowed));
            value = fallback;
        }
        return record(name, value, null);
    }

    void problem(String name, String message) {
        problems.add(name + ": " + message);
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Every variable asked for so far, in the order first asked, each with the value it was last read as. */
    List<Reading> readings() {
        return List.copyOf(readings.values());
    }

    /** The set, non-blank value, unrecorded. */
    private Optional<String> raw(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * Notes {@code value} as what {@code name} was read as ({@code shown}, or its string form when null) and
     * returns it. A variable once read as a secret stays one, whatever reads it later.
     */
    private <T> T record(String name, T value, String shown) {
        Reading earlier = readings.get(name);
        boolean fromEnvironment = raw(name).isPresent();
        if (earlier != null && earlier.secret()) {
            readings.put(name, new Reading(name, fromEnvironment, true, earlier.value()));
        } else {
            readings.put(name, new Reading(name, fromEnvironment, false, shown != null ? shown : String.valueOf(value)));
        }
        return value;
    }

    /** A duration in the largest unit that divides it, as the docs write them: 7d, 24h, 90s, 500ms. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (duration.toDays() > 1 && duration.toDaysPart() * 86_400_000L == millis) {
            return duration.toDays() + "d";
        }
        for (var unit : List.of(Map.entry("h", 3_600_000L), Map.entry("m", 60_000L), Map.entry("s", 1_000L))) {
            if (millis % unit.getValue() == 0) {
                return millis / unit.getValue() + unit.getKey();
            }
        }
        return millis + "ms";
    }

    static String format(RateLimit limit) {
        return limit.requests() + "/" + format(limit.period());
    }

    /** Quotes a user value for an error message, cut short so a pasted blob does not flood the log. */
    private static String quoted(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "'" + shown + "'";
    }
}
