package dev.payhook.app;

/** Starts the service from environment variables; exits with 2 when the configuration is invalid. */
public final class Main {

    static final int INVALID_CONFIGURATION = 2;

    private Main() {
    }

    public static void main(String[] args) {
        ServiceConfig config;
        try {
            config = ServiceConfig.from(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(INVALID_CONFIGURATION);
            return;
        }
        // Read by logback.xml, which initialises on first use: after this line, not before.
        System.setProperty("payhook.log.format", config.logFormat());
        Service service = Service.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "payhook-shutdown"));
    }
}
