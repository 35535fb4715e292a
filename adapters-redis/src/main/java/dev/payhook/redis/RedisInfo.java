package dev.payhook.redis;

import java.util.Optional;

/** Reads fields from the text Redis answers to {@code INFO}: {@code name:value} lines under section headers. */
final class RedisInfo {

    private RedisInfo() {
    }

    static Optional<String> field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Optional.of(line.substring(name.length() + 1).trim());
            }
        }
        return Optional.empty();
    }
}
