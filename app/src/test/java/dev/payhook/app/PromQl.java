package dev.payhook.app;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads which metrics a PromQL expression selects, so tests can hold queries against a live scrape. */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2",
            "group_left", "group_right", "inf", "nan");
    /** A Grafana variable query: {@code label_values(selector, label)}. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)");

    private PromQl() {
    }

    /** The metric names an expression selects: identifiers that are neither functions, keywords nor labels. */
    static Set<String> metricNames(String expression) {
        String text = STRING.matcher(expression).replaceAll("\"\"");
        text = MATCHERS.matcher(text).replaceAll(" ");
        text = RANGE.matcher(text).replaceAll(" ");
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String word = identifier.group();
            boolean partOfNumber = identifier.start() > 0 && Character.isDigit(text.charAt(identifier.start() - 1));
            boolean called = text.substring(identifier.end()).stripLeading().startsWith("(");
            if (!partOfNumber && !called && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** The metric names a Grafana variable query selects. */
    static Set<String> variableMetricNames(String variableQuery) {
        Matcher labelValues = LABEL_VALUES.matcher(variableQuery.strip());
        if (!labelValues.matches()) {
            throw new AssertionError("not a label_values(selector, label) query: " + variableQuery);
        }
        return metricNames(labelValues.group(1));
    }
}
