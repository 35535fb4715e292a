package dev.payhook.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedQueueAppenderTest {

    /** Far above what any step takes on a loaded machine; a call that blocks never finishes within it. */
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final LoggerContext context = loggerContext();
    private final Logger logger = context.getLogger("dev.payhook.http.WebhookServer");
    private final StuckOutput output = new StuckOutput();
    private final BoundedQueueAppender queue = new BoundedQueueAppender();

    @AfterEach
    void stop() {
        output.release();
        queue.stop();
    }

    @Test
    void with_the_output_stuck_request_lines_are_dropped_and_counted_at_once_while_an_error_waits_and_is_written() {
        start(2);
        output.stick();
        queue.doAppend(event(Level.INFO, "first"));
        await("the writer to be stuck writing the first line", () -> output.stuckOn() != null);

        assertTimeoutPreemptively(DEADLINE, () -> {
            queue.doAppend(event(Level.INFO, "queued 1"));
            queue.doAppend(event(Level.INFO, "queued 2"));
            queue.doAppend(event(Level.INFO, "dropped 1"));
            queue.doAppend(event(Level.DEBUG, "dropped 2"));
            queue.doAppend(event(Level.INFO, "dropped 3"));
            queue.doAppend(event(Level.WARN, "dropped after a short wait"));
        }, "a request line waited for the stuck output");
        Thread error = Thread.ofPlatform().start(() -> queue.doAppend(event(Level.ERROR, "never dropped")));
        await("the error line to wait for room", () -> error.getState() == Thread.State.WAITING);

        assertEquals(Map.of("trace", 0L, "debug", 1L, "info", 2L, "warn", 1L), dropped());
        output.release();
        await("the error line to be written", () -> output.messages().contains("never dropped"));
        assertEquals(List.of("first", "queued 1", "queued 2", "never dropped"), output.messages().stream()
                .filter(message -> !message.startsWith("log queue full")).toList());
        ILoggingEvent notice = output.events.stream()
                .filter(event -> event.getFormattedMessage().startsWith("log queue full")).findFirst().orElseThrow();
        assertEquals(Level.WARN, notice.getLevel());
        assertEquals("log queue full: 4 log lines dropped (log_lines_dropped_total counts them by level)",
                notice.getFormattedMessage());
        assertEquals(4L, notice.getKeyValuePairs().getFirst().value);
    }

    @Test
    void lines_are_written_on_the_writer_thread_with_the_callers_thread_name_and_mdc() {
        start(16);
        LoggingEvent event = event(Level.INFO, "request");
        event.setMDCPropertyMap(Map.of("request_id", "req-1"));

        queue.doAppend(event);
        await("the line to be written", () -> !output.events.isEmpty());

        ILoggingEvent written = output.events.getFirst();
        assertEquals(Thread.currentThread().getName(), written.getThreadName());
        assertEquals("req-1", written.getMDCPropertyMap().get("request_id"));
        assertTrue(output.writers.stream().allMatch(name -> name.equals("log-writer-console")), output.writers::toString);
    }

    @Test
    void stopping_writes_every_queued_line_before_it_returns() {
        start(1_000);
        output.stick();
        for (int i = 0; i < 1_000; i++) {
            queue.doAppend(event(Level.INFO, "line " + i));
        }
        await("the writer to be stuck writing the first line", () -> output.stuckOn() != null);
        output.release();

        queue.stop();

        assertEquals(1_000, output.events.size());
        assertEquals("line 999", output.messages().getLast());
        assertEquals(0L, dropped().values().stream().mapToLong(Long::longValue).sum());
    }

    private void start(int queueSize) {
        output.setContext(context);
        output.setName("stdout");
        output.start();
        queue.setContext(context);
        queue.setName("console");
        queue.setQueueSize(queueSize);
        queue.setWarnWaitMillis(50);
        queue.addAppender(output);
        queue.start();
        assertTrue(queue.isStarted());
    }

    private static LoggerContext loggerContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    private Map<String, Long> dropped() {
        return queue.droppedByLevel().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().getAsLong()));
    }

    private LoggingEvent event(Level level, String message) {
        return new LoggingEvent(Logger.class.getName(), logger, level, message, null, null);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** An output that records what it is given, and can be made to hang like a full pipe. */
    private static final class StuckOutput extends AppenderBase<ILoggingEvent> {

        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
        final List<String> writers = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile ILoggingEvent stuckOn;

        void stick() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        ILoggingEvent stuckOn() {
            return stuckOn;
        }

        List<String> messages() {
            return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (gate.getCount() > 0) {
                stuckOn = event;
            }
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writers.add(Thread.currentThread().getName());
            events.add(event);
        }
    }
}
