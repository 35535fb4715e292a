package dev.payhook.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * podman, run through {@code scripts/podman.sh} with the project's own containers.conf, as the image
 * scripts run it. Without podman (or as a user other than root) every call fails and says what to do;
 * nothing is skipped.
 */
final class Podman {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private Podman() {
    }

    /** What one command printed and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean succeeded() {
            return exitCode == 0;
        }

        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** Runs {@code podman arguments} and returns its trimmed standard output; fails unless it exits 0. */
    static String must(String... arguments) {
        Result result = run(arguments);
        if (!result.succeeded()) {
            throw new AssertionError("podman " + String.join(" ", arguments) + " failed: " + result.describe());
        }
        return result.stdout().strip();
    }

    static Result run(String... arguments) {
        return script("podman.sh", Map.of(), COMMAND_TIMEOUT, List.of(arguments));
    }

    /** Runs {@code podman-compose arguments} with {@code environment} added; fails unless it exits 0. */
    static String compose(Map<String, String> environment, Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of("compose"));
        command.addAll(List.of(arguments));
        Result result = script("podman.sh", environment, timeout, command);
        if (!result.succeeded()) {
            throw new AssertionError("podman-compose " + String.join(" ", arguments) + " failed: " + result.describe());
        }
        return result.stdout();
    }

    /** Runs one of the project's scripts (from {@code scripts/}) to completion. */
    static Result script(String name, Map<String, String> environment, Duration timeout, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(scripts().resolve(name).toString());
        command.addAll(arguments);
        Path stdout = null;
        Path stderr = null;
        try {
            // Output goes to files, so a command that hangs cannot block a read and outlive the timeout.
            stdout = Files.createTempFile("payhook-podman-", ".out");
            stderr = Files.createTempFile("payhook-podman-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // Variables the compose file passes through from the environment stay out of the tests.
            builder.environment().remove("WEBHOOK_SECRETS");
            builder.environment().remove("REQUIRE_SIGNATURES");
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "\nstdout:\n" + read(stdout) + "\nstderr:\n" + read(stderr));
            }
            return new Result(process.exitValue(), read(stdout), read(stderr));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private static Path scripts() {
        String deploy = System.getProperty("payhook.deploy");
        if (deploy == null) {
            throw new IllegalStateException("system property payhook.deploy is not set; run through Maven: ./mvnw verify");
        }
        return Path.of(deploy).toAbsolutePath().normalize().resolveSibling("scripts");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
