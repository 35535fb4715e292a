package dev.payhook.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A java of a feature release below 21 from {@code /usr/lib/jvm}, where Debian and most JDK packages go. */
record OlderJava(Path home, int feature) {

    private static final Path JVM_DIRECTORY = Path.of("/usr/lib/jvm");
    private static final Pattern VERSION = Pattern.compile("version \"(?:1\\.)?(\\d+)[^\"]*\"");

    Path java() {
        return home.resolve("bin").resolve("java");
    }

    static OlderJava find() {
        OlderJava found = null;
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(JVM_DIRECTORY)) {
            for (Path home : homes) {
                Optional<Integer> feature = feature(home.resolve("bin").resolve("java"));
                if (feature.isPresent() && feature.get() < 21 && (found == null || feature.get() > found.feature())) {
                    // The real path, as the JVM names its own home.
                    found = new OlderJava(home.toRealPath(), feature.get());
                }
            }
        } catch (IOException noDirectory) {
            // reported below
        }
        if (found == null) {
            throw new AssertionError("no java older than 21 under " + JVM_DIRECTORY + ": this test runs the jar on"
                    + " one to check what it says. Install one, e.g. apt-get install openjdk-17-jre-headless"
                    + " (.ci/run installs it when missing).");
        }
        return found;
    }

    private static Optional<Integer> feature(Path java) {
        if (!Files.isExecutable(java)) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            Matcher version = VERSION.matcher(output);
            return version.find() ? Optional.of(Integer.parseInt(version.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
