package dev.payhook.redis.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Kills every process the harness started when the JVM exits, even if a test never closed it. */
final class Cleanup {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> PROCESSES.forEach(Process::destroyForcibly), "redis-harness-cleanup"));
    }

    private Cleanup() {
    }

    static void register(Process process) {
        PROCESSES.removeIf(known -> !known.isAlive());
        PROCESSES.add(process);
    }
}
