package dev.payhook.app;

/** Reads samples out of a Prometheus text scrape, for the tests that run the service as a process. */
final class MetricSamples {

    private MetricSamples() {
    }

    /** Sums the samples of metric {@code name} whose label set contains every given {@code name="value"} pair. */
    static double sum(String scrape, String name, String... labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
