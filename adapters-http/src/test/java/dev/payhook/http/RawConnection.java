package dev.payhook.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A bare TCP connection to the server, for requests no HTTP client would send: malformed, slow, stalled. */
final class RawConnection implements AutoCloseable {

    private final Socket socket;

    RawConnection(int port, Duration readTimeout) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) readTimeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawConnection write(String text) {
        return write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection write(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text}; false when the server had already hung up. */
    boolean tryWrite(String text) {
        return tryWrite(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes}; false when the server had already hung up. */
    boolean tryWrite(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException hungUp) {
            return false;
        }
    }

    /**
     * Sends {@code text} one byte at a time, {@code gap} apart, and stops early once the server has hung up.
     * Returns how many bytes went out.
     */
    int trickle(String text, Duration gap) throws InterruptedException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            try {
                socket.getOutputStream().write(bytes[i]);
                socket.getOutputStream().flush();
            } catch (IOException hungUp) {
                return i;
            }
            Thread.sleep(gap);
        }
        return bytes.length;
    }

    /** No more bytes from us: the server sees the end of the stream. */
    RawConnection finish() {
        try {
            socket.shutdownOutput();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the server sends until it closes the connection or the read timeout passes. */
    String readAll() {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            // the server kept the connection open: return what arrived
        } catch (IOException reset) {
            // a reset after the answer: return what arrived
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads exactly one answer: its head, then as many body bytes as its Content-Length says, so that the
     * connection can carry the next request. Fails if the server closes or goes quiet before the answer is whole.
     */
    RawResponse readResponse() {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            // The last four bytes read, as one int: the head ends at CR LF CR LF.
            for (int last = 0; last != 0x0D0A0D0A; ) {
                int next = in.read();
                if (next < 0) {
                    throw new AssertionError("closed mid-answer: [" + head.toString(StandardCharsets.ISO_8859_1) + "]");
                }
                head.write(next);
                last = last << 8 | next;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            String length = RawResponse.headersOf(text.strip()).get("content-length");
            if (length == null) {
                throw new AssertionError("no Content-Length: [" + text + "]");
            }
            return RawResponse.parse(text + new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server has closed the connection (end of stream) before the read timeout. */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket that may already be gone
        }
    }
}
