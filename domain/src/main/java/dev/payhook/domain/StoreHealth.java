package dev.payhook.domain;

import java.util.List;
import java.util.Map;

/**
 * What a store that answered says about itself, for readiness and operators.
 *
 * @param details  facts worth showing (e.g. the eviction policy, records held)
 * @param warnings conditions that put payments at risk although the store works
 * @param mayEvict whether the store may drop records that still count, which would let a redelivery pay again
 */
public record StoreHealth(Map<String, String> details, List<String> warnings, boolean mayEvict) {

    public StoreHealth {
        details = Map.copyOf(details);
        warnings = List.copyOf(warnings);
    }
}
