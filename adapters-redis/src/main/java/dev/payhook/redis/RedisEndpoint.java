package dev.payhook.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Redis is: one server (from a {@code redis://} or {@code rediss://} URL) or a Redis Cluster
 * (from a list of seed nodes). Parse errors never repeat the input, which may hold a password.
 */
public sealed interface RedisEndpoint {

    boolean tls();

    RedisCredentials credentials();

    /** For logs: addresses and options, never the password. */
    String describe();

    /** One server; {@code database} is the logical db selected after connecting. */
    record Standalone(RedisAddress address, int database, boolean tls, RedisCredentials credentials)
            implements RedisEndpoint {
        @Override
        public String describe() {
            return (tls ? "rediss://" : "redis://") + address + "/" + database
                    + (credentials.present() ? " (with AUTH)" : "");
        }
    }

    /** A Redis Cluster, discovered from {@code seeds}; every node shares TLS and credentials. */
    record Cluster(List<RedisAddress> seeds, boolean tls, RedisCredentials credentials) implements RedisEndpoint {
        public Cluster {
            seeds = List.copyOf(seeds);
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("at least one cluster node is required");
            }
        }

        @Override
        public String describe() {
            return "cluster " + seeds + (tls ? " (TLS)" : "") + (credentials.present() ? " (with AUTH)" : "");
        }
    }

    /** Parses {@code redis://[[user]:password@]host[:port][/db]}; {@code rediss://} means TLS. */
    static Standalone fromUrl(String url) {
        Parsed parsed = Parsed.of(url);
        return new Standalone(parsed.address, parsed.database, parsed.tls, parsed.credentials);
    }

    /**
     * Parses a comma-separated list of seed nodes, each {@code host:port} or a URL as in
     * {@link #fromUrl}; TLS and credentials come from the URLs and must agree across them.
     */
    static Cluster fromClusterNodes(String nodes) {
        List<RedisAddress> seeds = new ArrayList<>();
        Parsed options = null;
        for (String entry : nodes.split(",")) {
            String node = entry.trim();
            if (node.isEmpty()) {
                continue;
            }
            Parsed parsed = node.contains("://") ? Parsed.of(node) : Parsed.of("redis://" + node);
            if (parsed.database != 0) {
                throw new IllegalArgumentException("Redis Cluster has only database 0");
            }
            if (node.contains("://")) {
                if (options != null && (options.tls != parsed.tls || !options.credentials.equals(parsed.credentials))) {
                    throw new IllegalArgumentException("every cluster node URL must use the same scheme and credentials");
                }
                options = parsed;
            }
            seeds.add(parsed.address);
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one cluster node is required");
        }
        return new Cluster(seeds, options != null && options.tls,
                options == null ? RedisCredentials.NONE : options.credentials);
    }

    /** The pieces of one Redis URL. */
    record Parsed(RedisAddress address, int database, boolean tls, RedisCredentials credentials) {

        static Parsed of(String text) {
            URI uri;
            try {
                uri = new URI(text.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("is not a valid URL (expected redis://host:port)");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                throw new IllegalArgumentException("must start with redis:// or rediss://");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("has no host (expected redis://host:port)");
            }
            int port = uri.getPort() == -1 ? RedisAddress.DEFAULT_PORT : uri.getPort();
            return new Parsed(new RedisAddress(uri.getHost(), port), database(uri.getPath()),
                    scheme.equals("rediss"), credentials(uri.getRawUserInfo()));
        }

        private static int database(String path) {
            if (path == null || path.isEmpty() || path.equals("/")) {
                return 0;
            }
            try {
                int database = Integer.parseInt(path.substring(1));
                if (database >= 0) {
                    return database;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("has a path that is not a database number (expected /0, /1, …)");
        }

        private static RedisCredentials credentials(String rawUserInfo) {
            if (rawUserInfo == null || rawUserInfo.isEmpty()) {
                return RedisCredentials.NONE;
            }
            int colon = rawUserInfo.indexOf(':');
            if (colon < 0) {
                // redis://secret@host is the password-only form some providers print.
                return new RedisCredentials(Optional.empty(), Optional.of(decode(rawUserInfo)));
            }
            String user = decode(rawUserInfo.substring(0, colon));
            String password = decode(rawUserInfo.substring(colon + 1));
            return new RedisCredentials(user.isEmpty() ? Optional.empty() : Optional.of(user),
                    password.isEmpty() ? Optional.empty() : Optional.of(password));
        }

        private static String decode(String text) {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Parsed[" + address + "]";
        }
    }
}
