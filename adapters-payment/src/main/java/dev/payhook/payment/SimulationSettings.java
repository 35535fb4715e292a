package dev.payhook.payment;

import java.time.Duration;
import java.util.Objects;

/** How the simulated gateway misbehaves: added latency, and the share of transient failures and declines. */
public record SimulationSettings(Duration latency, double failureRate, double declineRate) {

    public static final SimulationSettings WELL_BEHAVED = new SimulationSettings(Duration.ZERO, 0, 0);

    public SimulationSettings {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        requireRate(failureRate, "failureRate");
        requireRate(declineRate, "declineRate");
    }

    private static void requireRate(double rate, String name) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
    }
}
