package dev.payhook.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;

/** The service's own logback.xml, loaded into a logger context of a test's own. */
final class ShippedLogback {

    private ShippedLogback() {
    }

    /** A context configured from logback.xml as the service runs it with {@code LOG_FORMAT=format}. */
    static LoggerContext configure(String format) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("payhook.log.format", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(ShippedLogback.class.getResource("/logback.xml"));
        } catch (JoranException e) {
            throw new AssertionError("logback.xml does not load", e);
        }
        StatusUtil statuses = new StatusUtil(context);
        assertEquals(Status.INFO, statuses.getHighestLevel(0), () -> context.getStatusManager().getCopyOfStatusList()
                .stream().filter(status -> status.getEffectiveLevel() > Status.INFO).toList().toString());
        return context;
    }

    /** The encoder of the output behind the root logger's queue. */
    @SuppressWarnings("unchecked")
    static Encoder<ILoggingEvent> encoder(LoggerContext context) {
        BoundedQueueAppender queue = (BoundedQueueAppender) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("console");
        return ((OutputStreamAppender<ILoggingEvent>) queue.getAppender("stdout")).getEncoder();
    }
}
