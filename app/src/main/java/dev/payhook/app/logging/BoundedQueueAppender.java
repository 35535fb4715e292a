package dev.payhook.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.event.KeyValuePair;

/**
 * Writes log events through one attached appender on a thread of its own, behind a bounded queue, so that
 * a thread serving a request never waits for standard output.
 *
 * <p>When the queue is full: events below WARN are dropped at once, WARN events wait up to
 * {@code warnWaitMillis} and are then dropped, ERROR events wait for room and are never dropped. Drops are
 * counted per level ({@link #droppedByLevel}) and noted in the log itself by a WARN line from the writer.
 * Logback's {@code AsyncAppender} either blocks every level or drops every level, ERROR included, and
 * counts nothing, hence this class. Stopping writes every queued event before it returns.
 */
public final class BoundedQueueAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {

    private static final List<Level> DROPPABLE = List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN);
    /** How long the writer sleeps on an empty queue before it looks whether it was stopped. */
    private static final long IDLE_POLL_MILLIS = 50;

    private final AppenderAttachableImpl<ILoggingEvent> downstream = new AppenderAttachableImpl<>();
    private final Map<Level, LongAdder> dropped = new LinkedHashMap<>();
    private int queueSize = 8_192;
    private long warnWaitMillis = 100;
    private long flushTimeoutMillis = 5_000;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread writer;

    public BoundedQueueAppender() {
        DROPPABLE.forEach(level -> dropped.put(level, new LongAdder()));
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setWarnWaitMillis(long warnWaitMillis) {
        this.warnWaitMillis = warnWaitMillis;
    }

    public void setFlushTimeoutMillis(long flushTimeoutMillis) {
        this.flushTimeoutMillis = flushTimeoutMillis;
    }

    /** Events dropped so far, by level name in lower case, for every level that can be dropped. */
    public Map<String, LongSupplier> droppedByLevel() {
        Map<String, LongSupplier> counts = new LinkedHashMap<>();
        dropped.forEach((level, count) -> counts.put(level.toString().toLowerCase(Locale.ROOT), count::sum));
        return counts;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (!downstream.iteratorForAppenders().hasNext()) {
            addError("no appender to write to: nest an <appender-ref> in appender [" + getName() + "]");
            return;
        }
        if (queueSize < 1) {
            addError("queueSize must be at least 1, not " + queueSize);
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        writer = Thread.ofPlatform().daemon().name("log-writer-" + getName()).unstarted(this::writeUntilStopped);
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // The writer formats the event later, on its own thread: take the message, thread name and MDC now.
        event.prepareForDeferredProcessing();
        Level level = event.getLevel();
        if (level.isGreaterOrEqual(Level.ERROR)) {
            putWaitingForRoom(event);
        } else if (!(level.isGreaterOrEqual(Level.WARN) ? offerWithin(event, warnWaitMillis) : queue.offer(event))) {
            dropped.get(level).increment();
        }
    }

    private void putWaitingForRoom(ILoggingEvent event) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(event);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean offerWithin(ILoggingEvent event, long millis) {
        try {
            return queue.offer(event, millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes events in batches until stopped and the queue is empty; then stops the attached appender. */
    private void writeUntilStopped() {
        List<ILoggingEvent> batch = new ArrayList<>();
        long droppedReported = 0;
        while (isStarted() || !queue.isEmpty()) {
            try {
                ILoggingEvent first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                    batch.forEach(downstream::appendLoopOnAppenders);
                    batch.clear();
                }
                droppedReported = reportDrops(droppedReported);
            } catch (InterruptedException e) {
                // Nothing interrupts this thread on purpose; keep writing until stopped.
            } catch (RuntimeException e) {
                batch.clear();
                addError("could not write log events", e);
            }
        }
        downstream.detachAndStopAllAppenders();
    }

    /** Writes one WARN line, straight through the attached appender, when events were dropped since the last. */
    private long reportDrops(long reported) {
        long total = dropped.values().stream().mapToLong(LongAdder::sum).sum();
        if (total > reported && getContext() instanceof LoggerContext context) {
            LoggingEvent notice = new LoggingEvent(BoundedQueueAppender.class.getName(),
                    context.getLogger(BoundedQueueAppender.class), Level.WARN,
                    "log queue full: {} log lines dropped (log_lines_dropped_total counts them by level)", null,
                    new Object[] {total - reported});
            notice.addKeyValuePair(new KeyValuePair("dropped_lines", total - reported));
            downstream.appendLoopOnAppenders(notice);
        }
        return total;
    }

    /** Stops taking events and waits, up to {@code flushTimeoutMillis}, until every queued event is written. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        try {
            writer.join(flushTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            addWarn("the log writer did not finish within " + flushTimeoutMillis + " ms; up to " + queue.size()
                    + " queued events were not written");
        }
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        if (downstream.iteratorForAppenders().hasNext()) {
            addWarn("appender [" + getName() + "] writes through one appender only; ignoring [" + appender.getName()
                    + "]");
            return;
        }
        downstream.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return downstream.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return downstream.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return downstream.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        downstream.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return downstream.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return downstream.detachAppender(name);
    }
}
