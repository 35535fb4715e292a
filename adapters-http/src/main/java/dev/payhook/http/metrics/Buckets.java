package dev.payhook.http.metrics;

import java.time.Duration;

/** Histogram bucket bounds shared by every latency meter, from a cache hit to a gateway timeout. */
final class Buckets {

    static final Duration[] LATENCY = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};

    private Buckets() {
    }
}
