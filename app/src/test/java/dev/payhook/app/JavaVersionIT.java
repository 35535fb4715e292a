package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar started by a java older than 21, as where the default java is 17: one line saying which
 * Java payhook needs and which one it found, not an UnsupportedClassVersionError stack trace.
 */
class JavaVersionIT {

    @Test
    void an_older_java_is_told_in_one_line_which_java_payhook_needs_and_which_it_found_and_exits_1() {
        OlderJava old = OlderJava.find();

        for (String[] arguments : new String[][] {{}, {Main.CHECK_CONFIG}}) {
            JarRun run = JarRun.of(old.java(), Map.of(), arguments);

            assertEquals(1, run.exitCode(), run.output());
            assertEquals("", run.stdout(), run.output());
            assertEquals(1, run.stderr().lines().count(), run.output());
            assertTrue(run.stderr().startsWith("payhook needs Java 21 or newer, but this is Java " + old.feature()),
                    run.output());
            assertTrue(run.stderr().contains(" at " + old.home() + ". "), run.output());
            assertTrue(run.stderr().contains("scripts/payhook"), run.output());
            assertFalse(run.stderr().contains("Exception") || run.stderr().contains("Error"), run.output());
        }
    }

    @Test
    void scripts_payhook_runs_the_jar_on_a_suitable_java_when_path_and_java_home_name_an_older_one() {
        OlderJava old = OlderJava.find();
        Path script = Path.of(System.getProperty("payhook.deploy")).toAbsolutePath().normalize()
                .resolveSibling("scripts").resolve("payhook");

        JarRun run = JarRun.command(List.of("bash", script.toString(), Main.CHECK_CONFIG), Map.of(
                "PATH", old.home().resolve("bin") + ":/usr/bin:/bin", "JAVA_HOME", old.home().toString()));

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.stdout().startsWith("Configuration is valid: "), run.output());
    }
}
