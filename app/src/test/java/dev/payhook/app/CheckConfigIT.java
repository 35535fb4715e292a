package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code java -jar payhook.jar --check-config} as an operator runs it before a deployment. */
class CheckConfigIT {

    @Test
    void a_valid_configuration_is_printed_with_sources_and_exits_0_without_connecting_or_listening() throws Exception {
        try (ServerSocket redis = new ServerSocket(ServiceProcess.freePort(), 50, InetAddress.getLoopbackAddress())) {
            int port = ServiceProcess.freePort();
            Map<String, String> environment = Map.of("PORT", Integer.toString(port),
                    "REDIS_URL", "redis://:CheckCfgRedisPw1@127.0.0.1:" + redis.getLocalPort(),
                    "CLUSTER_RATE_LIMIT", "100/1s");

            JarRun run = JarRun.of(environment, Main.CHECK_CONFIG);

            assertEquals(0, run.exitCode(), run.output());
            assertEquals("", run.stderr(), run.output());
            assertTrue(run.stdout().startsWith("Configuration is valid: "), run.output());
            assertTrue(run.stdout().lines().anyMatch(line -> line.matches(
                    "PORT +environment +" + port)), run.output());
            assertTrue(run.stdout().lines().anyMatch(line -> line.matches(
                    "REDIS_URL +environment +redis://127\\.0\\.0\\.1:" + redis.getLocalPort() + "/0 \\(with AUTH\\)")),
                    run.output());
            assertTrue(run.stdout().lines().anyMatch(line -> line.matches("LEASE_TTL +default +30s")), run.output());
            SecretLeaks.assertAbsent("CheckCfgRedisPw1", Map.of("the printout", run.output()));
            assertNoConnectionWaiting(redis);
        }
    }

    @Test
    void an_invalid_configuration_exits_2_with_the_very_problems_a_start_prints() {
        Map<String, String> invalid = Map.of("SUCCESS_TTL", "banana", "REDIS_URL", "redis://:Pa@ss@cache:6379",
                "ADMIN_PORT", "9091");

        JarRun check = JarRun.of(invalid, Main.CHECK_CONFIG);
        JarRun start = JarRun.of(invalid);

        assertEquals(2, check.exitCode(), check.output());
        assertEquals(2, start.exitCode(), start.output());
        assertEquals("", check.stdout(), check.output());
        assertEquals(start.stderr(), check.stderr());
        assertTrue(check.stderr().startsWith("Invalid configuration (3 problems):"), check.output());
        assertTrue(check.stderr().contains("REDIS_URL: the password seems to contain '@'; percent-encode it as %40"),
                check.output());
    }

    @Test
    void with_log_format_json_an_invalid_configuration_is_one_json_error_line_as_at_start() throws Exception {
        JarRun check = JarRun.of(Map.of("LOG_FORMAT", "json", "PORT", "http"), Main.CHECK_CONFIG);

        assertEquals(2, check.exitCode(), check.output());
        List<String> lines = (check.stdout() + check.stderr()).lines().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), check.output());
        JsonNode line = new ObjectMapper().readTree(lines.getFirst());
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("Invalid configuration (1 problem)", line.path("message").asText());
        assertTrue(line.path("problems").path(0).asText().startsWith("PORT: 'http' is not a whole number"),
                line.toString());
    }

    @Test
    void each_example_environment_file_is_valid_with_its_secrets_which_the_printout_never_shows() {
        for (String name : EnvFile.NAMES) {
            EnvFile file = EnvFile.read(name);
            Map<String, String> secrets = file.madeUpSecrets();

            JarRun run = JarRun.of(file.with(secrets), Main.CHECK_CONFIG);

            assertEquals(0, run.exitCode(), name + ": " + run.output());
            for (String variable : file.settings().keySet()) {
                assertTrue(run.stdout().lines().anyMatch(line -> line.matches(variable + " +environment +.*")),
                        name + ": " + variable + " is not printed as set:\n" + run.output());
            }
            secrets.forEach((variable, value) -> SecretLeaks.assertAbsent(secretPart(file, variable, value),
                    Map.of(name + " --check-config", run.output())));
        }
    }

    @Test
    void an_unknown_argument_exits_2_with_the_usage_and_help_exits_0() {
        JarRun unknown = JarRun.of(Map.of(), "--chek-config");
        JarRun help = JarRun.of(Map.of(), "--help");

        assertEquals(2, unknown.exitCode(), unknown.output());
        assertTrue(unknown.stderr().startsWith("unknown argument: --chek-config"), unknown.output());
        assertTrue(unknown.stderr().contains("--check-config"), unknown.output());
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.stdout().startsWith("usage: java -jar payhook.jar [--check-config]"), help.output());
    }

    /** The made-up part of a secret: what its form in the file marks with … */
    private static String secretPart(EnvFile file, String variable, String value) {
        String form = file.secretForms().get(variable);
        int start = form.indexOf('…');
        String suffix = form.substring(start + 1);
        return value.substring(start, value.length() - suffix.length());
    }

    /** Nothing connected to {@code socket}: a connection would wait in its backlog even after the client left. */
    private static void assertNoConnectionWaiting(ServerSocket socket) throws IOException {
        socket.setSoTimeout(200);
        try {
            socket.accept().close();
            throw new AssertionError("--check-config connected to the Redis of REDIS_URL");
        } catch (SocketTimeoutException nobody) {
            // as it should be
        }
    }
}
