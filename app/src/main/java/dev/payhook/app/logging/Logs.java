package dev.payhook.app.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.util.Iterator;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** The service's handle on logback, which logback.xml configures: its log queue, and the final flush. */
public final class Logs {

    private Logs() {
    }

    /** The queue in front of the root logger's output, when logback.xml put one there. */
    public static Optional<BoundedQueueAppender> queue() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Iterator<Appender<ILoggingEvent>> appenders =
                    context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
            while (appenders.hasNext()) {
                if (appenders.next() instanceof BoundedQueueAppender queue) {
                    return Optional.of(queue);
                }
            }
        }
        return Optional.empty();
    }

    /** Writes every queued line and stops logging; the last thing the process does before it exits. */
    public static void flushAndStop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
