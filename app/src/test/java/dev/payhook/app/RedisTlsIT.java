package dev.payhook.app;

import static dev.payhook.app.RedisServiceIT.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payhook.redis.testing.LocalRedisServer;
import dev.payhook.redis.testing.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} with AUTH against a real TLS-enabled redis-server whose certificate comes from a
 * private CA, trusted through JVM options as docs/redis.md describes.
 */
class RedisTlsIT {

    private static final String STORE_PASSWORD = "changeit";

    @TempDir
    Path dir;

    @Test
    void the_service_talks_to_redis_over_tls_with_a_password_from_a_rediss_url() throws Exception {
        makeCertificates();
        int tlsPort = Ports.free();
        String password = "Tls-Pa55";
        try (LocalRedisServer redis = LocalRedisServer.start("--requirepass", password,
                "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", dir.resolve("server.crt").toString(),
                "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
                "--tls-auth-clients", "no");
             ServiceProcess service = ServiceProcess.start(
                     Map.of("REDIS_URL", "rediss://:" + password + "@127.0.0.1:" + tlsPort),
                     List.of("-Djavax.net.ssl.trustStore=" + dir.resolve("trust.p12"),
                             "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD))) {

            assertEquals(200, service.postJson(event("evt_tls", 100)).statusCode());
            assertEquals(200, service.postJson(event("evt_tls", 100)).statusCode());
            assertEquals(200, service.get("/health/ready").statusCode());
            assertEquals(1.0, service.metric("payment_gateway_seconds_count"));
            assertEquals(2.0, service.metric("idempotency_store_seconds_count", "store=\"redis\"", "operation=\"claim\"",
                    "result=\"ok\""));
        }
    }

    /** A throwaway CA, a server certificate for 127.0.0.1 signed by it, and a trust store holding the CA. */
    private void makeCertificates() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=payhook test CA");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", "server.crt", "-extfile", "san.ext");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", "payhook-test-ca", "-file", "ca.crt", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD);
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (is openssl installed?): " + output);
        }
    }
}
