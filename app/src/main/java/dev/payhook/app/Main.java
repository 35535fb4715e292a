package dev.payhook.app;

import dev.payhook.app.logging.Logs;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/** Starts the service from environment variables; exits with 2 when the configuration is invalid. */
public final class Main {

    static final int INVALID_CONFIGURATION = 2;

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
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
