package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Gives tests a real Redis (DESIGN.md §8), in this order: {@code REDIS_TEST_URL} if set; a container
 * when a Docker engine answers; else {@code redis-server} from PATH on a free port. With none of them
 * the tests fail and say what to install; they never skip. Which one is used is logged once per JVM.
 */
public final class RedisHarness {

    static final String IMAGE = "redis:7.2-alpine";
    private static final Logger LOG = LoggerFactory.getLogger(RedisHarness.class);
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private RedisHarness() {
    }

    public static RedisServer standalone() {
        String url = System.getenv("REDIS_TEST_URL");
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.trim());
            RedisAddress address = new RedisAddress(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
            tell("the Redis at REDIS_TEST_URL (" + address + ")");
            return new ExternalRedis(address);
        }
        if (dockerAvailable()) {
            tell("a " + IMAGE + " container per test (Docker answered)");
            return ContainerRedis.start();
        }
        tell("redis-server from PATH, one process per test on a free port (no Docker engine)");
        return LocalRedisServer.start();
    }

    private static void tell(String which) {
        if (TOLD.compareAndSet(false, true)) {
            LOG.info("Redis tests use {}", which);
        }
    }

    /** Asks Testcontainers only where a Docker engine may be: asked with none, it logs an ERROR and a stack. */
    private static boolean dockerAvailable() {
        if (!dockerConfigured()) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** DOCKER_HOST, Testcontainers settings, or a Docker or Podman socket where the engines put theirs. */
    private static boolean dockerConfigured() {
        if (System.getenv("DOCKER_HOST") != null
                || System.getenv().keySet().stream().anyMatch(name -> name.startsWith("TESTCONTAINERS_"))) {
            return true;
        }
        String home = System.getProperty("user.home");
        List<Path> places = new ArrayList<>(List.of(Path.of(home, ".testcontainers.properties"),
                Path.of("/var/run/docker.sock"), Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock")));
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null) {
            places.add(Path.of(runtime, "docker.sock"));
            places.add(Path.of(runtime, "podman", "podman.sock"));
        }
        return places.stream().anyMatch(Files::exists);
    }

    /** A Redis someone else runs; left running on close. */
    private record ExternalRedis(RedisAddress address) implements RedisServer {
        @Override
        public void close() {
        }
    }

    /** Redis in a container, removed on close. */
    private static final class ContainerRedis implements RedisServer {

        private final GenericContainer<?> container;

        private ContainerRedis(GenericContainer<?> container) {
            this.container = container;
        }

        @SuppressWarnings("resource")
        static ContainerRedis start() {
            GenericContainer<?> container = new GenericContainer<>(IMAGE)
                    .withExposedPorts(6379)
                    .withCommand("redis-server", "--save", "", "--appendonly", "no");
            container.start();
            return new ContainerRedis(container);
        }

        @Override
        public RedisAddress address() {
            return new RedisAddress(container.getHost(), container.getMappedPort(6379));
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
