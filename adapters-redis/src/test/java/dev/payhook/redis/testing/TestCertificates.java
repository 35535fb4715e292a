package dev.payhook.redis.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and a server certificate for 127.0.0.1 signed by it (made with {@code openssl}), and a
 * PKCS12 trust store holding the CA for a JVM to trust ({@code -Djavax.net.ssl.trustStore=…}).
 */
public record TestCertificates(Path certificate, Path key, Path caCertificate, Path trustStore,
                               String trustStorePassword) {

    public static TestCertificates createIn(Path directory) {
        try {
            Files.writeString(directory.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            run(directory, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=payhook test CA");
            run(directory, "openssl", "req", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
            run(directory, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", "2", "-out", "server.crt", "-extfile", "san.ext");
            String password = "changeit";
            run(directory, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert",
                    "-noprompt", "-alias", "payhook-test-ca", "-file", "ca.crt", "-keystore", "trust.p12",
                    "-storetype", "PKCS12", "-storepass", password);
            return new TestCertificates(directory.resolve("server.crt"), directory.resolve("server.key"),
                    directory.resolve("ca.crt"), directory.resolve("trust.p12"), password);
        } catch (IOException e) {
            throw new IllegalStateException("could not make test certificates in " + directory, e);
        }
    }

    /** The options that make redis-server listen with TLS on {@code tlsPort} and replicate over TLS. */
    List<String> serverArguments(int tlsPort) {
        return List.of("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", caCertificate.toString(), "--tls-auth-clients", "no", "--tls-replication", "yes");
    }

    /** JVM options that trust the CA. */
    public List<String> trustingJvmOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=" + trustStorePassword);
    }

    private static void run(Path directory, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (is openssl installed?): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
