package dev.payhook.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.redis.testing.LocalRedisServer;
import org.junit.jupiter.api.Test;

/** DESIGN.md §4: a SUCCEEDED record costs at most 1.25 times the original format. */
class MemoryBudgetTest {

    @Test
    void a_succeeded_record_costs_at_most_a_quarter_more_than_the_original_format() {
        try (LocalRedisServer redis = LocalRedisServer.start()) {
            MemoryFootprint.Result result = MemoryFootprint.measure(redis, 20_000);

            System.out.println(result);
            assertTrue(result.originalBytes() > 100, "the original format measured implausibly small: " + result);
            assertTrue(result.ratio() <= 1.25, result::toString);
        }
    }
}
