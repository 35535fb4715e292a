package dev.payhook.app;

import dev.payhook.domain.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
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
 */
final class Env {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    private static final Pattern RATE = Pattern.compile("(\\d{1,9})/(\\d{0,12})(ms|s|m|h|d)");
    private static final String DURATION_HINT = "use a whole number with ms, s, m, h or d, e.g. 500ms, 30s, 5m, 24h, 7d";

    private final Map<String, String> variables;
    private final List<String> problems = new ArrayList<>();

    Env(Map<String, String> variables) {
        this.variables = variables;
    }

    /** The value, if set and not blank. */
    Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
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
        return optional(name);
    }

    String text(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name, quoted(raw.get()) + " is not a whole number between " + min + " and " + max);
        return fallback;
    }

    /** A probability: a decimal number from 0 to 1. */
    double rate(String name, double fallback) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(raw.get());
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name, quoted(raw.get()) + " is not a number between 0 and 1");
        return fallback;
    }

    /** A positive duration. */
    Duration duration(String name, Duration fallback) {
        Duration value = durationOrZero(name, fallback);
        if (value.isZero()) {
            problem(name, "must be longer than zero");
            return fallback;
        }
        return value;
    }

    /** A duration that may be zero. */
    Duration durationOrZero(String name, Duration fallback) {
        Optional<String> raw = optional(name);
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
        Optional<String> raw = optional(name);
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
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> {
                problem(name, quoted(raw.get()) + " is not a boolean; use true or false");
                yield fallback;
            }
        };
    }

    /** One of {@code allowed} (case-insensitive), returned in lower case. */
    String choice(String name, String fallback, List<String> allowed) {
        String value = text(name, fallback).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            problem(name, quoted(text(name, fallback)) + " is not one of " + String.join(", ", allowed));
            return fallback;
        }
        return value;
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

    /** Quotes a user value for an error message, cut short so a pasted blob does not flood the log. */
    private static String quoted(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "'" + shown + "'";
    }
}
