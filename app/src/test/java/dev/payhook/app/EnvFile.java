package dev.payhook.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example environment file of {@code deploy/env}: plain {@code NAME=value} lines, comments, and for each
 * secret it needs a comment {@code # secret: NAME=form}, where {@code …} marks the secret part. Tests fill
 * that part with a fresh random value, as an operator's secret store would.
 */
record EnvFile(String name, List<String> lines, Map<String, String> settings, Map<String, String> secretForms) {

    static final List<String> NAMES = List.of("local.env", "staging.env", "production.env");
    private static final Pattern SETTING = Pattern.compile("([A-Z][A-Z0-9_]*)=(\\S*)");
    private static final Pattern SECRET = Pattern.compile("# secret: ([A-Z][A-Z0-9_]*)=(\\S+)");
    private static final String SECRET_PART = "…";
    private static final SecureRandom RANDOM = new SecureRandom();

    static EnvFile read(String name) {
        String root = System.getProperty("payhook.deploy");
        if (root == null) {
            throw new IllegalStateException("system property payhook.deploy is not set; run through Maven: ./mvnw verify");
        }
        Path file = Path.of(root, "env", name);
        try {
            List<String> lines = Files.readAllLines(file);
            Map<String, String> settings = new LinkedHashMap<>();
            Map<String, String> secrets = new LinkedHashMap<>();
            for (String line : lines) {
                Matcher secret = SECRET.matcher(line);
                Matcher setting = SETTING.matcher(line);
                if (secret.matches()) {
                    secrets.put(secret.group(1), secret.group(2));
                } else if (setting.matches()) {
                    if (settings.put(setting.group(1), setting.group(2)) != null) {
                        throw new AssertionError(name + " sets " + setting.group(1) + " twice");
                    }
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    throw new AssertionError(name + ": not a comment or a plain NAME=value line: " + line);
                }
            }
            return new EnvFile(name, List.copyOf(lines), settings, secrets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value for each secret the file names, its form with the secret part made up fresh. */
    Map<String, String> madeUpSecrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secretForms.forEach((variable, form) -> {
            int part = form.indexOf(SECRET_PART);
            if (part < 0) {
                throw new AssertionError(name + ": the form of " + variable + " has no " + SECRET_PART);
            }
            // A webhook secret is base64 after whsec_; anything else gets hex, which fits a URL and a key alike.
            String secret = form.startsWith("whsec_", part - "whsec_".length())
                    ? Base64.getEncoder().encodeToString(randomBytes(32))
                    : HexFormat.of().formatHex(randomBytes(24));
            secrets.put(variable, form.substring(0, part) + secret + form.substring(part + SECRET_PART.length()));
        });
        return secrets;
    }

    /** The file's settings and its secrets, as the process gets them. */
    Map<String, String> with(Map<String, String> secrets) {
        Map<String, String> environment = new LinkedHashMap<>(settings);
        environment.putAll(secrets);
        return environment;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
