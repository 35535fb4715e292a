package dev.payhook.domain;

/**
 * Decides whether one more delivery may be served now, so that a flood is refused before it costs a store
 * round trip or a gateway call. An implementation counts for one instance, or shares its count between
 * every instance of the service.
 */
public interface RateLimiter {

    /** Lets everything through: the limiter when no limit is configured. */
    RateLimiter UNLIMITED = () -> RateDecision.ALLOWED;

    /**
     * Takes one permit if one is free. Never throws: a limiter that cannot reach shared state lets the
     * request through, because the limit protects capacity while the idempotency store keeps payments right.
     */
    RateDecision tryAcquire();

    /**
     * Both limits at once: a permit from this limiter, then one from {@code next}. A request refused by
     * {@code next} has still used its permit here, as it used the instance's capacity to be refused.
     */
    default RateLimiter and(RateLimiter next) {
        RateLimiter first = this;
        return () -> first.tryAcquire() instanceof RateDecision.Limited limited ? limited : next.tryAcquire();
    }
}
