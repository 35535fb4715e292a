package dev.payhook.http;

import dev.payhook.domain.RateLimit;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the requests from each client address whose signature was checked and failed. Once an address
 * has spent its allowance, its requests are refused before their HMAC is computed, so forgeries can burn
 * neither CPU nor anyone else's budget. Requests refused by the cheap header checks are not counted: they
 * cost nothing, and counting them would let an unsigned flood lock out a signed sender on the same address.
 *
 * <p>Remembers at most {@link #MAX_ADDRESSES} addresses; addresses whose allowance has refilled are
 * forgotten first, and past the bound new addresses go uncounted rather than grow the map without end.
 */
public final class FailedSignatureLimiter {

    static final int MAX_ADDRESSES = 10_000;
    /** A sender with a wrong secret is refused either way; this only caps the HMACs one address can cost. */
    public static final RateLimit DEFAULT_LIMIT = new RateLimit(60, Duration.ofMinutes(1));

    private final RateLimit limit;
    private final TimeMeter time;
    private final ConcurrentHashMap<String, Bucket> byAddress = new ConcurrentHashMap<>();

    public FailedSignatureLimiter(RateLimit limit) {
        this(limit, TimeMeter.SYSTEM_NANOTIME);
    }

    /** With {@code time} as the buckets' clock, for tests that let time pass. */
    FailedSignatureLimiter(RateLimit limit, TimeMeter time) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** How long {@code address} must wait before its next signature is checked, or empty when it may go on. */
    Optional<Duration> blocked(String address) {
        Bucket bucket = byAddress.get(address);
        if (bucket == null) {
            return Optional.empty();
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? Optional.empty()
                : Optional.of(Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill())));
    }

    /** Counts one failed signature from {@code address}. */
    void failed(String address) {
        Bucket bucket = byAddress.get(address);
        if (bucket == null) {
            if (byAddress.size() >= MAX_ADDRESSES) {
                forgetRefilled();
                if (byAddress.size() >= MAX_ADDRESSES) {
                    return;
                }
            }
            bucket = byAddress.computeIfAbsent(address, ignored -> newBucket());
        }
        bucket.tryConsume(1);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
                .withCustomTimePrecision(time)
                .build();
    }

    private void forgetRefilled() {
        byAddress.values().removeIf(bucket -> bucket.getAvailableTokens() >= limit.requests());
    }

    int addressesRemembered() {
        return byAddress.size();
    }
}
