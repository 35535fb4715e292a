package dev.payhook.redis.testing;

import dev.payhook.redis.RedisAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a Redis server that can lose replies: armed with a marker, it forwards the next
 * command whose bytes contain it, lets Redis run it, then drops Redis's reply and cuts that connection, as
 * a network failure after the command arrived would. The client sees a broken connection and cannot tell
 * whether its command ran.
 */
public final class LossyProxy implements AutoCloseable {

    private final RedisAddress target;
    private final ServerSocket listener;
    private final AtomicInteger toLose = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile byte[] marker = new byte[0];
    private volatile boolean closed;

    private LossyProxy(RedisAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
        Thread.ofVirtual().name("lossy-proxy-accept").start(this::acceptLoop);
    }

    /** Listens on a free port of 127.0.0.1 and forwards to {@code target}. */
    public static LossyProxy to(RedisAddress target) {
        try {
            return new LossyProxy(target, new ServerSocket(Ports.free(), 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new IllegalStateException("could not listen for the proxy", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    public RedisAddress address() {
        return new RedisAddress("127.0.0.1", port());
    }

    /** Loses the replies to the next {@code count} commands that contain {@code text}. */
    public void loseRepliesTo(String text, int count) {
        marker = text.getBytes(StandardCharsets.UTF_8);
        toLose.set(count);
    }

    /** Replies lost so far. */
    public int repliesLost() {
        return lost.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.host(), target.port());
                AtomicBoolean swallowNextReply = new AtomicBoolean();
                Thread.ofVirtual().start(() -> pumpCommands(client, server, swallowNextReply));
                Thread.ofVirtual().start(() -> pumpReplies(server, client, swallowNextReply));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("proxy accept failed", e);
                }
            }
        }
    }

    private void pumpCommands(Socket client, Socket server, AtomicBoolean swallowNextReply) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (contains(buffer, read, marker) && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    swallowNextReply.set(true);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException connectionGone) {
            // either side hung up: the other pump closes too
        } finally {
            closeQuietly(client, server);
        }
    }

    private void pumpReplies(Socket server, Socket client, AtomicBoolean swallowNextReply) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (swallowNextReply.getAndSet(false)) {
                    // Redis has run the command and answered; the client never hears of it.
                    lost.incrementAndGet();
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException connectionGone) {
            // either side hung up
        } finally {
            closeQuietly(client, server);
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] pattern) {
        if (pattern.length == 0) {
            return false;
        }
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket... sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
