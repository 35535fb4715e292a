package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} process from PATH on a free port, without persistence, that a test can stop
 * and start again on the same port (to simulate an outage). Stopped on close, and at JVM exit if a
 * test forgot.
 */
public final class LocalRedisServer implements RedisServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final List<String> extraArguments;
    private final Path directory;
    private Process process;

    private LocalRedisServer(int port, List<String> extraArguments, Path directory) {
        this.port = port;
        this.extraArguments = List.copyOf(extraArguments);
        this.directory = directory;
    }

    /** Starts {@code redis-server} with {@code extraArguments} (e.g. {@code --requirepass}, cluster options). */
    public static LocalRedisServer start(String... extraArguments) {
        return start(Ports.free(), List.of(extraArguments));
    }

    public static LocalRedisServer start(int port, List<String> extraArguments) {
        requireInstalled();
        try {
            LocalRedisServer server = new LocalRedisServer(port, extraArguments,
                    Files.createTempDirectory("payhook-redis-" + port + "-"));
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not create a directory for redis-server", e);
        }
    }

    static void requireInstalled() {
        if (!onPath("redis-server") || !onPath("redis-cli")) {
            throw new IllegalStateException("The Redis tests need redis-server and redis-cli on PATH "
                    + "(Debian/Ubuntu: apt-get install redis-server redis-tools; macOS: brew install redis), "
                    + "or Docker for the standalone tests, or REDIS_TEST_URL pointing at a Redis to use.");
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        return Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of("redis-server",
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", directory.toString(), "--logfile", directory.resolve("redis.log").toString()));
        command.addAll(extraArguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
        Cleanup.register(process);
        awaitPing();
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log());
            }
            try (Jedis jedis = RedisServer.direct(address(), 500)) {
                String answer = jedis.ping();
                if ("PONG".equals(answer)) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // NOAUTH means it is up and wants a password: good enough.
                if (String.valueOf(notYet.getMessage()).contains("NOAUTH")) {
                    return;
                }
            }
            sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("redis-server did not answer on port " + port + ": " + log());
    }

    /** Stops the server as a crash would (SIGKILL): clients see connections refused. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the server again on the same port, empty. */
    public void restart() {
        stop();
        startProcess();
    }

    /** Freezes the process (SIGSTOP): connections stay open but nothing answers. */
    public void freeze() {
        signal("STOP");
    }

    /** Undoes {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("could not signal redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return port;
    }

    /** Whether the process is alive (a frozen one counts as running). */
    public boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public RedisAddress address() {
        return new RedisAddress("127.0.0.1", port);
    }

    String log() {
        try {
            Path log = directory.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable)";
        }
    }

    @Override
    public void close() {
        thaw();
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
