package dev.payhook.app;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The jar's entry point. It alone is compiled for Java 8 (see app/pom.xml), so that a java older than the 21
 * the rest of payhook needs says in one line which Java is needed and which one it is, instead of failing
 * with an UnsupportedClassVersionError stack trace.
 */
public final class Launcher {

    static final int REQUIRED_JAVA = 21;
    static final int WRONG_JAVA = 1;

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        if (feature(System.getProperty("java.specification.version")) < REQUIRED_JAVA) {
            System.err.println("payhook needs Java " + REQUIRED_JAVA + " or newer, but this is Java "
                    + System.getProperty("java.version") + " at " + System.getProperty("java.home")
                    + ". Run the jar with a Java " + REQUIRED_JAVA + "+ java (in a clone of payhook, scripts/payhook"
                    + " finds one).");
            System.exit(WRONG_JAVA);
        }
        // Looked up only now, after the check: a JVM may resolve a direct reference to the Java 21 class earlier.
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName("dev.payhook.app.Main"), "main",
                MethodType.methodType(void.class, String[].class));
        main.invokeExact(args);
    }

    /** The feature release of a {@code java.specification.version}: "1.8" is 8, "17" is 17. */
    static int feature(String specificationVersion) {
        String[] parts = specificationVersion.split("\\.");
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }
}
