package dev.payhook.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of the event ids whose records are in a given state; {@code next} continues the listing. */
public record RecordPage(List<EventId> eventIds, Optional<String> next) {

    public RecordPage {
        eventIds = List.copyOf(eventIds);
        Objects.requireNonNull(next, "next");
    }
}
