package dev.payhook.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where Redis is: one server (from a {@code redis://} or {@code rediss://} URL), a Redis Cluster (from a
 * list of seed nodes) or a primary found through Redis Sentinel. Parse errors never repeat the input,
 * which may hold a password.
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

    /**
     * A primary and its replicas watched by Redis Sentinel: the sentinels say which server is the primary
     * of {@code master} now and announce when another one is promoted. {@link #tls()} and
     * {@link #credentials()} are those of the data nodes; the sentinels have their own.
     */
    record Sentinel(SentinelMaster master, SentinelNodes sentinels) implements RedisEndpoint {
        @Override
        public boolean tls() {
            return master.tls();
        }

        @Override
        public RedisCredentials credentials() {
            return master.credentials();
        }

        @Override
        public String describe() {
            return "sentinel master " + master.describe() + " via " + sentinels.describe();
        }
    }

    /** The name the sentinels monitor, and how to reach whichever server is its primary. */
    record SentinelMaster(String name, int database, boolean tls, RedisCredentials credentials) {

        /** Sentinel's own rule for master names. */
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

        public SentinelMaster {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("has no valid master name (letters, digits, '.', '-' and '_')");
            }
            if (database < 0) {
                throw new IllegalArgumentException("database must not be negative");
            }
        }

        /** The name, database and options, never the password. */
        public String describe() {
            return name + "/" + database + (tls ? " (TLS)" : "") + (credentials.present() ? " (with AUTH)" : "");
        }
    }

    /** The sentinels to ask, sharing one TLS setting and one set of credentials. */
    record SentinelNodes(List<RedisAddress> addresses, boolean tls, RedisCredentials credentials) {

        public static final int DEFAULT_PORT = 26_379;

        public SentinelNodes {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("at least one sentinel is required");
            }
        }

        /** The addresses and options, never the password. */
        public String describe() {
            return addresses + (tls ? " (TLS)" : "") + (credentials.present() ? " (with AUTH)" : "");
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

    /**
     * Parses the master of a Sentinel setup: a bare name ({@code mymaster}) or a URL whose host part is
     * the name, {@code redis[s]://[[user]:password@]mymaster[/db]}, for the data nodes' TLS, AUTH and
     * database. It takes no port: the sentinels say where the primary runs.
     */
    static SentinelMaster fromSentinelMaster(String text) {
        String value = text.trim();
        if (!value.contains("://")) {
            return new SentinelMaster(value, 0, false, RedisCredentials.NONE);
        }
        Parsed.refuseUnencodedPassword(value);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a master name or URL (expected mymaster or redis://mymaster)");
        }
        boolean tls = Parsed.tls(uri);
        // Master names may hold '_', which java.net.URI does not take in a host: read the authority by hand.
        String authority = uri.getRawAuthority();
        if (authority == null) {
            throw new IllegalArgumentException("has no master name (expected redis://mymaster)");
        }
        int at = authority.lastIndexOf('@');
        String name = authority.substring(at + 1);
        if (name.contains(":")) {
            throw new IllegalArgumentException("takes no port: the sentinels say where the primary runs");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("has a query or fragment (expected redis://mymaster/db)");
        }
        return new SentinelMaster(name, Parsed.database(uri.getPath()), tls,
                Parsed.credentials(at < 0 ? null : authority.substring(0, at)));
    }

    /**
     * Parses a comma-separated list of sentinels, each {@code host[:port]} (port 26379 by default) or a
     * URL {@code redis[s]://[[user]:password@]host[:port]} for the sentinels' own TLS and AUTH, which
     * must agree across the URLs.
     */
    static SentinelNodes fromSentinelNodes(String nodes) {
        List<RedisAddress> addresses = new ArrayList<>();
        Parsed options = null;
        for (String entry : nodes.split(",")) {
            String node = entry.trim();
            if (node.isEmpty()) {
                continue;
            }
            boolean url = node.contains("://");
            Parsed parsed = Parsed.of(url ? node : "redis://" + node, SentinelNodes.DEFAULT_PORT);
            if (parsed.database != 0) {
                throw new IllegalArgumentException("a sentinel has no database (give it with the master)");
            }
            if (url) {
                if (options != null && (options.tls != parsed.tls || !options.credentials.equals(parsed.credentials))) {
                    throw new IllegalArgumentException("every sentinel URL must use the same scheme and credentials");
                }
                options = parsed;
            }
            addresses.add(parsed.address);
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one sentinel is required");
        }
        return new SentinelNodes(addresses, options != null && options.tls,
                options == null ? RedisCredentials.NONE : options.credentials);
    }

    /** The pieces of one Redis URL. */
    record Parsed(RedisAddress address, int database, boolean tls, RedisCredentials credentials) {

        static Parsed of(String text) {
            return of(text, RedisAddress.DEFAULT_PORT);
        }

        static Parsed of(String text, int defaultPort) {
            refuseUnencodedPassword(text);
            URI uri;
            try {
                uri = new URI(text.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("is not a valid URL (expected redis://host:port)");
            }
            boolean tls = tls(uri);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("has no host (expected redis://host:port)");
            }
            int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
            return new Parsed(new RedisAddress(uri.getHost(), port), database(uri.getPath()),
                    tls, credentials(uri.getRawUserInfo()));
        }

        /**
         * A password pasted as it is breaks the URL where it holds a character that ends the credentials early,
         * and the parser would then blame the host or the path. A Redis URL has no '@' after its credentials
         * (the path is a database number), so everything before the last '@' is the user and password.
         */
        static void refuseUnencodedPassword(String text) {
            int start = text.indexOf("://");
            int end = text.lastIndexOf('@');
            if (start < 0 || end < start) {
                return;
            }
            String userInfo = text.substring(start + 3, end);
            for (char reserved : new char[] {'@', '/', '?', '#'}) {
                if (userInfo.indexOf(reserved) >= 0) {
                    throw new IllegalArgumentException("the password seems to contain '" + reserved
                            + "'; percent-encode it as %" + Integer.toHexString(reserved).toUpperCase(Locale.ROOT)
                            + " (expected redis://user:password@host:port)");
                }
            }
        }

        /** {@code rediss} is TLS, {@code redis} is not, anything else is refused. */
        private static boolean tls(URI uri) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                throw new IllegalArgumentException("must start with redis:// or rediss://");
            }
            return scheme.equals("rediss");
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
