package dev.payhook.app;

import java.util.List;

/** Configuration that cannot run: every problem found, each naming its variable, and no secret value. */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    ConfigException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    /** The first line of the message: how many problems there are. */
    public String summary() {
        return summary(problems);
    }

    private static String summary(List<String> problems) {
        return "Invalid configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ")";
    }

    private static String describe(List<String> problems) {
        StringBuilder text = new StringBuilder(summary(problems)).append(':');
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return text.toString();
    }
}
