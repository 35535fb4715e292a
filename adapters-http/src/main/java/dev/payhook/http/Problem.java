package dev.payhook.http;

import dev.payhook.domain.EventId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An RFC 9457 problem: every error this service answers is one of these, sent as
 * {@code application/problem+json}. {@code retryAfter}, when present, becomes the Retry-After header.
 */
public record Problem(int status, String type, String title, String detail, Map<String, Object> extensions,
                      Optional<Duration> retryAfter) {

    /** Problem types are URNs under this prefix; docs/api.md lists them. */
    public static final String TYPE_PREFIX = "urn:payhook:problem:";

    public Problem {
        extensions = Map.copyOf(extensions);
    }

    static Problem of(int status, String slug, String title, String detail) {
        return new Problem(status, TYPE_PREFIX + slug, title, detail, Map.of(), Optional.empty());
    }

    Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(status, type, title, detail, more, retryAfter);
    }

    Problem forEvent(EventId eventId) {
        return with("event_id", eventId.value());
    }

    Problem retryAfter(Duration delay) {
        return new Problem(status, type, title, detail, extensions, Optional.of(delay));
    }

    /** The JSON members, in the order RFC 9457 lists them, then the extensions. */
    Map<String, Object> members() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", type);
        members.put("title", title);
        members.put("status", status);
        members.put("detail", detail);
        members.putAll(extensions);
        return members;
    }
}
