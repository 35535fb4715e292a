package dev.payhook.redis;

import java.util.Optional;

/** Redis AUTH credentials. Never printed: {@link #toString()} says only whether they are set. */
public record RedisCredentials(Optional<String> user, Optional<String> password) {

    public static final RedisCredentials NONE = new RedisCredentials(Optional.empty(), Optional.empty());

    public boolean present() {
        return password.isPresent();
    }

    @Override
    public String toString() {
        return present() ? "RedisCredentials[" + user.map(u -> "user set, ").orElse("") + "password set]"
                : "RedisCredentials[none]";
    }
}
