package dev.payhook.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.RateLimit;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailedSignatureLimiterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final TimeMeter time = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final FailedSignatureLimiter limiter = new FailedSignatureLimiter(new RateLimit(2, Duration.ofSeconds(10)), time);

    @Test
    void an_address_is_blocked_once_its_failures_are_spent_and_freed_as_they_refill() {
        limiter.failed("10.0.0.1");
        assertEquals(Optional.empty(), limiter.blocked("10.0.0.1"));
        limiter.failed("10.0.0.1");

        assertEquals(Optional.of(Duration.ofSeconds(5)), limiter.blocked("10.0.0.1"));
        assertEquals(Optional.empty(), limiter.blocked("10.0.0.2"), "other addresses are not affected");

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertEquals(Optional.empty(), limiter.blocked("10.0.0.1"));
    }

    @Test
    void it_remembers_a_bounded_number_of_addresses_forgetting_those_that_refilled_first() {
        for (int i = 0; i < FailedSignatureLimiter.MAX_ADDRESSES; i++) {
            limiter.failed("addr-" + i);
        }
        limiter.failed("one-too-many");
        assertEquals(FailedSignatureLimiter.MAX_ADDRESSES, limiter.addressesRemembered());

        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        limiter.failed("after-refill");

        assertEquals(1, limiter.addressesRemembered());
        assertTrue(limiter.blocked("addr-0").isEmpty());
    }
}
