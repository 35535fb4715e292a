package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A primary, one replica and three sentinels watching them, all local {@code redis-server} processes
 * (sentinels as {@code redis-server <config> --sentinel}, each with its own writable config file). The
 * primary counts as down after one second, so a killed primary is replaced within a few seconds (longer
 * when the sentinels' first election splits, see {@link #FAILOVER_TIMEOUT}).
 * Everything is stopped on close, and at JVM exit if a test forgot.
 */
public final class LocalRedisSentinel implements AutoCloseable {

    public static final String MASTER_NAME = "mymaster";
    public static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    /**
     * Also how long an election may take: when the sentinels' votes split, the next attempt comes
     * 2 × this after the first.
     */
    public static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(3);
    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final List<DataNode> dataNodes = new ArrayList<>();
    private final List<SentinelProcess> sentinels = new ArrayList<>();
    private final Optional<String> dataPassword;
    private final Optional<String> sentinelPassword;
    private final Optional<TestCertificates> tls;

    private LocalRedisSentinel(Optional<String> dataPassword, Optional<String> sentinelPassword,
                               Optional<TestCertificates> tls) {
        this.dataPassword = dataPassword;
        this.sentinelPassword = sentinelPassword;
        this.tls = tls;
    }

    /** Without passwords. */
    public static LocalRedisSentinel start() {
        return start(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The data nodes require {@code dataPassword}, the sentinels {@code sentinelPassword}. */
    public static LocalRedisSentinel startWithPasswords(String dataPassword, String sentinelPassword) {
        return start(Optional.of(dataPassword), Optional.of(sentinelPassword), Optional.empty());
    }

    /**
     * With passwords as {@link #startWithPasswords}, and TLS: sentinels and data nodes talk to each other and
     * to clients over TLS ({@link #sentinelAddresses()} are TLS ports); the harness itself uses plain ports.
     */
    public static LocalRedisSentinel startWithTls(TestCertificates certificates, String dataPassword,
                                                  String sentinelPassword) {
        return start(Optional.of(dataPassword), Optional.of(sentinelPassword), Optional.of(certificates));
    }

    private static LocalRedisSentinel start(Optional<String> dataPassword, Optional<String> sentinelPassword,
                                            Optional<TestCertificates> tls) {
        LocalRedisServer.requireInstalled();
        LocalRedisSentinel setup = new LocalRedisSentinel(dataPassword, sentinelPassword, tls);
        try {
            DataNode primary = setup.startDataNode(Optional.empty());
            setup.startDataNode(Optional.of(primary.announced()));
            // Sentinels learn of replicas from the primary's INFO: start them once the replica is attached.
            setup.await("the replica to sync with the primary", () -> setup.replicaInSync(primary.server()));
            for (int i = 0; i < SENTINELS; i++) {
                setup.sentinels.add(SentinelProcess.start(primary.announced(), dataPassword, sentinelPassword, tls));
            }
            setup.await("every sentinel to know the replica and the other sentinels", setup::sentinelsAgree);
            return setup;
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    /**
     * A data node: the harness talks to {@code server} on its plain port; the sentinels and clients know it
     * by {@code announced}, its TLS port when there is one.
     */
    private record DataNode(LocalRedisServer server, RedisAddress announced) {
    }

    private DataNode startDataNode(Optional<RedisAddress> primary) {
        // Either node may become the primary; neither makes a replica wait 5 s before the first sync.
        List<String> arguments = new ArrayList<>(List.of("--repl-diskless-sync-delay", "0"));
        dataPassword.ifPresent(pw -> arguments.addAll(List.of("--requirepass", pw, "--masterauth", pw)));
        int tlsPort = Ports.free();
        tls.ifPresent(certificates -> arguments.addAll(certificates.serverArguments(tlsPort)));
        primary.ifPresent(address -> arguments.addAll(List.of("--replicaof", address.host(),
                Integer.toString(address.port()))));
        LocalRedisServer server = LocalRedisServer.start(Ports.free(), arguments);
        DataNode node = new DataNode(server, tls.isPresent() ? new RedisAddress("127.0.0.1", tlsPort) : server.address());
        dataNodes.add(node);
        return node;
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}, the form of REDIS_SENTINELS. */
    public String sentinelsVariable() {
        return sentinelAddresses().stream().map(RedisAddress::toString).collect(Collectors.joining(","));
    }

    /** Where clients reach the sentinels: their TLS ports with TLS. */
    public List<RedisAddress> sentinelAddresses() {
        return sentinels.stream().map(SentinelProcess::clientAddress).toList();
    }

    /** The primary as the first sentinel that answers reports it. */
    public RedisAddress primary() {
        for (SentinelProcess sentinel : sentinels) {
            Optional<RedisAddress> primary = sentinel.primary();
            if (primary.isPresent()) {
                return primary.get();
            }
        }
        throw new IllegalStateException("no sentinel names a primary of " + MASTER_NAME);
    }

    /** Kills the current primary with SIGKILL, as a crash would; returns its address. */
    public RedisAddress killPrimary() {
        RedisAddress primary = primary();
        node(primary).stop();
        return primary;
    }

    /** The server the sentinels know by {@code announced}. */
    private LocalRedisServer node(RedisAddress announced) {
        return dataNodes.stream().filter(node -> node.announced().equals(announced)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sentinels name an unknown server " + announced))
                .server();
    }

    /** A plain connection to the data node the sentinels know by {@code announced}, logged in. */
    public Jedis dataConnection(RedisAddress announced) {
        return connect(node(announced).address(), dataPassword);
    }

    /**
     * Waits until every sentinel names a primary other than {@code old}, and that server says it is a
     * primary; returns it.
     */
    public RedisAddress awaitPromotion(RedisAddress old, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Optional<RedisAddress>> named = sentinels.stream().map(SentinelProcess::primary).toList();
            RedisAddress first = named.getFirst().orElse(old);
            if (!first.equals(old) && named.stream().allMatch(Optional.of(first)::equals) && isPrimary(first)) {
                return first;
            }
            LocalRedisServer.sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("the sentinels did not promote a replica within " + timeout + ": "
                + sentinels.stream().map(SentinelProcess::log).collect(Collectors.joining("\n---\n")));
    }

    private boolean isPrimary(RedisAddress announced) {
        try (Jedis jedis = dataConnection(announced)) {
            return jedis.info("replication").contains("role:master");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean replicaInSync(LocalRedisServer primary) {
        try (Jedis jedis = connect(primary.address(), dataPassword)) {
            String replication = jedis.info("replication");
            return replication.contains("connected_slaves:1") && replication.contains("state=online");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean sentinelsAgree() {
        return sentinels.stream().allMatch(sentinel -> sentinel.knows(1, SENTINELS - 1));
    }

    private void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            LocalRedisServer.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("gave up waiting for " + what + " after " + READY_TIMEOUT + ": "
                + sentinels.stream().map(SentinelProcess::log).collect(Collectors.joining("\n---\n")));
    }

    private static Jedis connect(RedisAddress address, Optional<String> password) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .timeoutMillis(1_000).autoNegotiateProtocol(false);
        password.ifPresent(config::password);
        return new Jedis(new HostAndPort(address.host(), address.port()), config.build());
    }

    @Override
    public void close() {
        sentinels.forEach(SentinelProcess::close);
        dataNodes.forEach(node -> node.server().close());
    }

    /**
     * One {@code redis-server --sentinel} with its own directory and config file (Sentinel rewrites it); with
     * TLS it also listens on a TLS port, which it announces to the other sentinels.
     */
    private static final class SentinelProcess implements AutoCloseable {

        private final int port;
        private final Optional<Integer> tlsPort;
        private final Path directory;
        private final Optional<String> password;
        private Process process;

        private SentinelProcess(int port, Optional<Integer> tlsPort, Path directory, Optional<String> password) {
            this.port = port;
            this.tlsPort = tlsPort;
            this.directory = directory;
            this.password = password;
        }

        static SentinelProcess start(RedisAddress primary, Optional<String> dataPassword, Optional<String> password,
                                     Optional<TestCertificates> tls) {
            int port = Ports.free();
            try {
                SentinelProcess sentinel = new SentinelProcess(port, tls.map(ignored -> Ports.free()),
                        Files.createTempDirectory("payhook-sentinel-" + port + "-"), password);
                sentinel.run(primary, dataPassword, tls);
                return sentinel;
            } catch (IOException e) {
                throw new IllegalStateException("could not write a sentinel configuration", e);
            }
        }

        private void run(RedisAddress primary, Optional<String> dataPassword, Optional<TestCertificates> tls)
                throws IOException {
            List<String> lines = new ArrayList<>(List.of(
                    "port " + port,
                    "bind 127.0.0.1",
                    "daemonize no",
                    "dir " + directory,
                    "logfile " + directory.resolve("sentinel.log"),
                    "sentinel monitor " + MASTER_NAME + " " + primary.host() + " " + primary.port() + " " + QUORUM,
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
                    "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT.toMillis(),
                    "sentinel parallel-syncs " + MASTER_NAME + " 1"));
            dataPassword.ifPresent(pw -> lines.add("sentinel auth-pass " + MASTER_NAME + " " + pw));
            password.ifPresent(pw -> lines.add("requirepass " + pw));
            tls.ifPresent(certificates -> lines.addAll(List.of("tls-port " + tlsPort.orElseThrow(),
                    "tls-cert-file " + certificates.certificate(), "tls-key-file " + certificates.key(),
                    "tls-ca-cert-file " + certificates.caCertificate(), "tls-auth-clients no", "tls-replication yes")));
            Path config = directory.resolve("sentinel.conf");
            Files.write(config, lines);
            process = new ProcessBuilder("redis-server", config.toString(), "--sentinel")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.log").toFile()).start();
            Cleanup.register(process);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server --sentinel exited with " + process.exitValue()
                            + ": " + log());
                }
                try (Jedis jedis = connect(address(), password)) {
                    if ("PONG".equals(jedis.ping())) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
                LocalRedisServer.sleep(Duration.ofMillis(50));
            }
            throw new IllegalStateException("the sentinel did not answer on port " + port + ": " + log());
        }

        RedisAddress address() {
            return new RedisAddress("127.0.0.1", port);
        }

        RedisAddress clientAddress() {
            return new RedisAddress("127.0.0.1", tlsPort.orElse(port));
        }

        Optional<RedisAddress> primary() {
            try (Jedis jedis = connect(address(), password)) {
                List<String> hostAndPort = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
                return hostAndPort == null || hostAndPort.size() != 2 ? Optional.empty()
                        : Optional.of(new RedisAddress(hostAndPort.get(0), Integer.parseInt(hostAndPort.get(1))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        /** Whether this sentinel sees the primary up with {@code replicas} replicas and {@code others} sentinels. */
        boolean knows(int replicas, int others) {
            try (Jedis jedis = connect(address(), password)) {
                Map<String, String> master = jedis.sentinelMaster(MASTER_NAME);
                return "master".equals(master.get("flags"))
                        && Integer.toString(replicas).equals(master.get("num-slaves"))
                        && Integer.toString(others).equals(master.get("num-other-sentinels"))
                        && jedis.sentinelReplicas(MASTER_NAME).stream().allMatch(replica -> "slave".equals(replica.get("flags")));
            } catch (RuntimeException e) {
                return false;
            }
        }

        String log() {
            try {
                Path log = directory.resolve("sentinel.log");
                return "sentinel " + port + ":\n" + (Files.exists(log) ? Files.readString(log) : "(no log)");
            } catch (IOException e) {
                return "(sentinel log unreadable)";
            }
        }

        @Override
        public void close() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
