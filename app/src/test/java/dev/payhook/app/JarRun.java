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
 * One run of the packaged jar to its end, as an operator types it ({@code java -jar payhook.jar …}), with only
 * the given environment; standard output and error apart.
 */
record JarRun(int exitCode, String stdout, String stderr) {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** With the java running the tests. */
    static JarRun of(Map<String, String> environment, String... arguments) {
        return of(Path.of(System.getProperty("java.home"), "bin", "java"), environment, arguments);
    }

    static JarRun of(Path java, Map<String, String> environment, String... arguments) {
        String jar = System.getProperty("payhook.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("payhook.jar not found (" + jar + "); run through Maven: ./mvnw verify");
        }
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar));
        command.addAll(List.of(arguments));
        return command(command, environment);
    }

    /** Any command that ends in the jar, such as a script of the project that starts it. */
    static JarRun command(List<String> command, Map<String, String> environment) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("payhook-run-", ".out");
            err = Files.createTempFile("payhook-run-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            String path = builder.environment().get("PATH");
            builder.environment().clear();
            builder.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not exit within " + TIMEOUT
                        + "; output:\n" + Files.readString(out) + Files.readString(err));
            }
            return new JarRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Both streams, for a failure message. */
    String output() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
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
