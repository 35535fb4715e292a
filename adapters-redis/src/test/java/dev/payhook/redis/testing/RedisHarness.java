package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;
import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Gives tests a real Redis (DESIGN.md §8), in this order: {@code REDIS_TEST_URL} if set; a container
 * when a Docker engine answers; else {@code redis-server} from PATH on a free port. With none of them
 * the tests fail and say what to install; they never skip.
 */
public final class RedisHarness {

    static final String IMAGE = "redis:7.2-alpine";

    private RedisHarness() {
    }

    public static RedisServer standalone() {
        String url = System.getenv("REDIS_TEST_URL");
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.trim());
            RedisAddress address = new RedisAddress(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
            return new ExternalRedis(address);
        }
        if (dockerAvailable()) {
            return ContainerRedis.start();
        }
        return LocalRedisServer.start();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
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
