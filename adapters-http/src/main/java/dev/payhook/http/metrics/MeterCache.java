package dev.payhook.http.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Meters by their tag values, built once: Micrometer's builders look the meter up in the registry on every
 * {@code register}, which is work a request should not repeat for meters it already has.
 */
final class MeterCache<M> {

    private final ConcurrentHashMap<String, M> meters = new ConcurrentHashMap<>();
    private final Function<String, M> make;

    /** {@code make} builds and registers the meter for a key, once. */
    MeterCache(Function<String, M> make) {
        this.make = make;
    }

    M get(String key) {
        M meter = meters.get(key);
        return meter != null ? meter : meters.computeIfAbsent(key, make);
    }
}
