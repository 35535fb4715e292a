package dev.payhook.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One connection to one Redis server, shared by every caller: commands that callers queue while the
 * previous batch is on the wire go out together as one pipeline, written by a single sender thread,
 * and each caller waits for its own reply. This bounds every command by one deadline from the moment it
 * is queued, waiting included (a frozen Redis is answered within that time, never twice it), and costs
 * one write and a few reads per batch instead of a round trip and a pooled connection per command.
 *
 * <p>Callers wait without a timeout of their own; a watchdog thread fails the commands whose deadline has
 * passed, checking every {@link #MAX_TICK} at most. A timed wait per command would cost a virtual thread a
 * scheduled wake-up task that outlives the wait, holding the thread's stack for the rest of the timeout:
 * at tens of thousands of commands a second that kept tens of megabytes alive through young collections.
 *
 * <p>A command whose caller gave up before it was sent is never sent. One that was sent may still run
 * when a stalled Redis wakes up; the scripts are written so that running again is harmless.
 */
final class PipelinedConnection implements AutoCloseable {

    private static final int MAX_BATCH = 512;
    /** The longest a command may wait past its deadline before the watchdog fails it. */
    private static final Duration MAX_TICK = Duration.ofMillis(10);
    private static final Queued<?>[] NONE = new Queued<?>[0];

    private final HostAndPort address;
    private final JedisClientConfig config;
    private final long timeoutNanos;
    private final BlockingQueue<Queued<?>> queue;
    private final Thread sender;
    private final Thread watchdog;
    private final long tickNanos;
    /** The batch on the wire, for the watchdog: its commands' callers wait while Redis may not answer. */
    private volatile Queued<?>[] inFlight = NONE;
    private volatile boolean closed;
    private Connection connection;

    PipelinedConnection(HostAndPort address, JedisClientConfig config, Duration commandTimeout, int maxQueued) {
        this.address = address;
        this.config = config;
        this.timeoutNanos = commandTimeout.toNanos();
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.tickNanos = Math.max(1_000_000L, Math.min(MAX_TICK.toNanos(), timeoutNanos / 20));
        this.sender = Thread.ofPlatform().name("payhook-redis-" + address).daemon().unstarted(this::sendLoop);
        this.watchdog = Thread.ofPlatform().name("payhook-redis-watchdog-" + address).daemon()
                .unstarted(this::watchLoop);
        sender.start();
        watchdog.start();
    }

    /** A command waiting for its reply, with the moment its caller stops waiting. */
    private record Queued<T>(CommandObject<T> command, long deadline, CompletableFuture<T> reply) {

        void answer(Object raw) {
            try {
                reply.complete(command.getBuilder().build(raw));
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        }
    }

    /**
     * Runs {@code command} and returns its decoded reply. Throws {@link JedisDataException} for an error
     * reply and {@link JedisConnectionException} when no reply came within the command timeout.
     */
    <T> T execute(CommandObject<T> command) {
        long deadline = System.nanoTime() + timeoutNanos;
        Queued<T> queued = new Queued<>(command, deadline, new CompletableFuture<>());
        if (closed) {
            throw closedError();
        }
        if (!queue.offer(queued)) {
            throw new JedisConnectionException("too many commands waiting for " + address);
        }
        if (closed && queue.remove(queued)) {
            // Closed meanwhile, and neither the sender nor the close took it: nobody would ever answer it.
            throw closedError();
        }
        try {
            return queued.reply().get(); // the watchdog ends the wait at the deadline
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JedisException jedis) {
                throw jedis;
            }
            throw new JedisConnectionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued.reply().cancel(false);
            throw new JedisConnectionException("interrupted while waiting for " + address, e);
        }
    }

    private void sendLoop() {
        List<Queued<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            send(batch);
            batch.clear();
        }
        failQueued();
        disconnect();
    }

    private void send(List<Queued<?>> batch) {
        long now = System.nanoTime();
        // Whoever stopped waiting is not sent: a command nobody awaits must not change anything. One whose
        // deadline has passed is failed here, as the watchdog would, since it no longer sees it.
        batch.removeIf(queued -> {
            expireIfLate(queued, now);
            return queued.reply().isDone();
        });
        if (batch.isEmpty()) {
            return;
        }
        int answered = 0;
        inFlight = batch.toArray(NONE);
        try {
            Connection wire = connected();
            for (Queued<?> queued : batch) {
                wire.sendCommand(queued.command().getArguments());
            }
            for (Queued<?> queued : batch) {
                try {
                    queued.answer(wire.getOne());
                } catch (JedisDataException error) {
                    queued.reply().completeExceptionally(error);
                }
                answered++;
            }
        } catch (JedisException broken) {
            // The wire is in an unknown state (timeout, reset): drop it; the next batch connects afresh.
            disconnect();
            for (Queued<?> queued : batch.subList(answered, batch.size())) {
                queued.reply().completeExceptionally(broken);
            }
        } finally {
            inFlight = NONE;
        }
    }

    /** Fails every command, sent or still queued, whose caller's deadline has passed. */
    private void watchLoop() {
        while (!closed) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (Queued<?> queued : inFlight) {
                expireIfLate(queued, now);
            }
            // Queued in order, all with the same timeout: the first that still has time ends the search.
            for (Queued<?> queued : queue) {
                if (now - queued.deadline() < 0) {
                    break;
                }
                expireIfLate(queued, now);
            }
        }
    }

    /** Fails {@code queued} if its caller's deadline has passed by {@code now}. */
    private void expireIfLate(Queued<?> queued, long now) {
        if (now - queued.deadline() >= 0 && !queued.reply().isDone()) {
            String late = "no reply from " + address + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms";
            // The cause makes it a time-out, not a broken connection, for whoever classifies the failure.
            queued.reply().completeExceptionally(new JedisConnectionException(late, new TimeoutException(late)));
        }
    }

    private Connection connected() {
        if (connection == null || !connection.isConnected() || connection.isBroken()) {
            disconnect();
            connection = new Connection(address, config);
        }
        return connection;
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.disconnect();
            } catch (JedisException alreadyGone) {
                // closing a broken socket may fail; it is closed either way
            }
            connection = null;
        }
    }

    private void failQueued() {
        Queued<?> left;
        while ((left = queue.poll()) != null) {
            left.reply().completeExceptionally(closedError());
        }
    }

    private JedisConnectionException closedError() {
        return new JedisConnectionException("the connection to " + address + " is closed");
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        LockSupport.unpark(watchdog);
        try {
            sender.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued(); // what was queued after the sender stopped
    }
}
