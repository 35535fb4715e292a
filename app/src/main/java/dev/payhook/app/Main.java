package dev.payhook.app;

import dev.payhook.app.logging.Logs;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/**
 * Starts the service from environment variables, or with {@code --check-config} only checks them and prints
 * the effective configuration; exits with 2 when the configuration is invalid.
 */
public final class Main {

    static final int INVALID_CONFIGURATION = 2;
    static final String CHECK_CONFIG = "--check-config";
    private static final String USAGE = """
            usage: java -jar payhook.jar [--check-config]
              (no argument)   start the service, configured by environment variables (docs/configuration.md)
              --check-config  check the environment and print the effective configuration, secrets hidden;
                              exit 0 when it is valid, 2 with every problem when it is not; connects to nothing""";

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        if (args.length == 1 && args[0].equals(CHECK_CONFIG)) {
            checkConfig(environment);
            return;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        if (args.length > 0) {
            System.err.println("unknown argument: " + String.join(" ", args));
            System.err.println(USAGE);
            System.exit(INVALID_CONFIGURATION);
            return;
        }
        ServiceConfig config;
        try {
            config = ServiceConfig.from(environment);
        } catch (ConfigException e) {
            report(e, ServiceConfig.logFormat(environment));
            System.exit(INVALID_CONFIGURATION);
            return;
        }
        useLogFormat(config.logFormat());
        // One hook, in this order: the service's last lines are queued before the log queue is written out.
        AtomicReference<Service> running = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Service service = running.get();
                if (service != null) {
                    service.close();
                }
            } finally {
                Logs.flushAndStop();
            }
        }, "payhook-shutdown"));
        running.set(Service.start(config));
    }

    /** Prints the configuration a start would use, or its problems as a start would report them. */
    private static void checkConfig(Map<String, String> environment) {
        try {
            System.out.print(ConfigCheck.describe(environment));
            System.out.flush();
        } catch (ConfigException e) {
            report(e, ServiceConfig.logFormat(environment));
            System.exit(INVALID_CONFIGURATION);
        }
    }

    /**
     * Plain text on standard error, or with {@code LOG_FORMAT=json} (when that variable is valid) one ERROR
     * log line like every other, so that a log pipeline sees why the service did not start.
     */
    private static void report(ConfigException error, String logFormat) {
        if (!logFormat.equals("json")) {
            System.err.println(error.getMessage());
            return;
        }
        useLogFormat(logFormat);
        LoggerFactory.getLogger(Main.class).atError().addKeyValue("problems", error.problems())
                .log(error.summary());
        Logs.flushAndStop();
    }

    /** Read by logback.xml, which initialises on first use: before any logger is asked for, not after. */
    private static void useLogFormat(String logFormat) {
        System.setProperty("payhook.log.format", logFormat);
    }
}
