package dev.payhook.app;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program from the machine that the tests cannot do without (Prometheus and promtool). A missing one
 * fails the test with what to install; it never skips it.
 */
record RequiredProgram(Path path) {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    static RequiredProgram prometheus() {
        return find("prometheus");
    }

    static RequiredProgram promtool() {
        return find("promtool");
    }

    private static RequiredProgram find(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (!directory.isBlank() && Files.isExecutable(candidate)) {
                return new RequiredProgram(candidate);
            }
        }
        throw new AssertionError(name + " is not on PATH. Install Debian's prometheus package, which brings both"
                + " prometheus and promtool: apt-get install prometheus (.ci/run installs it when missing).");
    }

    /** What one run printed (standard output and error together) and how it exited. */
    record Result(int exitCode, String output) {
    }

    /** Runs the program to completion in {@code directory}, feeding it {@code input}. */
    Result run(Path directory, String input, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        command.addAll(List.of(arguments));
        Path output = null;
        try {
            // Output goes to a file, so a program that hangs cannot block the read and outlive the timeout.
            output = Files.createTempFile("payhook-" + path.getFileName(), ".out");
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + RUN_TIMEOUT);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(output);
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
