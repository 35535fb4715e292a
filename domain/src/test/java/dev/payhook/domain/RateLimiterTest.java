package dev.payhook.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicInteger asked = new AtomicInteger();

    private RateLimiter counting(RateDecision answer) {
        return () -> {
            asked.incrementAndGet();
            return answer;
        };
    }

    @Test
    void the_unlimited_limiter_allows_everything() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(RateDecision.ALLOWED, RateLimiter.UNLIMITED.tryAcquire());
        }
    }

    @Test
    void combined_limiters_allow_only_when_both_allow() {
        RateDecision limited = new RateDecision.Limited(Duration.ofSeconds(3));

        assertEquals(RateDecision.ALLOWED, counting(RateDecision.ALLOWED).and(counting(RateDecision.ALLOWED)).tryAcquire());
        assertEquals(limited, counting(RateDecision.ALLOWED).and(counting(limited)).tryAcquire());
        assertEquals(4, asked.get());
    }

    @Test
    void a_refusal_by_the_first_limiter_does_not_ask_the_second() {
        RateDecision limited = new RateDecision.Limited(Duration.ofSeconds(1));

        assertEquals(limited, counting(limited).and(counting(RateDecision.ALLOWED)).tryAcquire());
        assertEquals(1, asked.get());
    }

    @Test
    void a_rate_limit_needs_a_positive_count_and_period() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, Duration.ofSeconds(-1)));
    }
}
