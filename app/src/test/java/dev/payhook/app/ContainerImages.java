package dev.payhook.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The images the container tests run, built once per test JVM by {@code scripts/image.sh} from the jar
 * under test: payhook's own, and Redis and Prometheus from Debian packages (no registry is needed). The
 * script keeps the Debian base, Redis and Prometheus images between runs, so only payhook's image is
 * rebuilt each time.
 */
final class ContainerImages {

    static final String PAYHOOK = "localhost/payhook:latest";
    static final String REDIS = "localhost/payhook-redis:bookworm";
    static final String PROMETHEUS = "localhost/payhook-prometheus:bookworm";

    /** A cold build makes the Debian base first: about three minutes on a quiet machine, more on a busy one. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);

    private static boolean built;
    private static AssertionError failure;

    private ContainerImages() {
    }

    static synchronized void build() {
        if (built) {
            return;
        }
        if (failure != null) {
            throw failure;    // the same build would fail again, and take as long
        }
        String jar = System.getProperty("payhook.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("payhook.jar not found (" + jar + "); run through Maven: ./mvnw verify");
        }
        Podman.Result build = Podman.script("image.sh", Map.of(), BUILD_TIMEOUT,
                List.of("--jar", jar, "payhook", "redis", "prometheus"));
        if (!build.succeeded()) {
            failure = new AssertionError("scripts/image.sh could not build the images: " + build.describe());
            throw failure;
        }
        System.out.print(build.stderr());    // what was built or reused, and how long it took
        built = true;
    }
}
