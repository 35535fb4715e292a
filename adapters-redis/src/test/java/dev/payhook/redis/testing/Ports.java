package dev.payhook.redis.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports in 12000–22767: below the kernel's ephemeral range (so no outgoing connection races for
 * them) and low enough that a cluster bus port (port + 10000) stays below it too.
 */
public final class Ports {

    private static final int LOW = 12_000;
    private static final int HIGH = 22_767;

    private Ports() {
    }

    /** A port that is free now, and whose cluster bus port is free too. */
    public static int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH + 1);
            if (isFree(port) && isFree(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + LOW + "-" + HIGH);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
