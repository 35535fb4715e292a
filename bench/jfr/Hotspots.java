import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording that {@code PROFILE=1 scripts/benchmark.sh} made of payhook and prints where its time
 * goes: the share of CPU samples, sampled allocation and long waits (park, monitor) spent inside each known
 * suspect of the performance issue and each layer of the stack, counted once per sample however deep.
 * Run it as a source file: {@code java bench/jfr/Hotspots.java target/benchmark/<time>/payhook-redis-new.jfr}.
 */
public final class Hotspots {

    /** A place in the code, matched on any frame of a stack ("class.method"). */
    private record Area(String name, Predicate<String> frame) {
        static Area startingWith(String name, String... prefixes) {
            return new Area(name, method -> {
                for (String prefix : prefixes) {
                    if (method.startsWith(prefix)) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    private static final List<Area> SUSPECTS = List.of(
            Area.startingWith("body read through an InputStream (WebhookServer.readBody)",
                    "dev.payhook.http.WebhookServer.readBody"),
            Area.startingWith("Jackson buffer recycling",
                    "com.fasterxml.jackson.core.util.BufferRecycler", "com.fasterxml.jackson.core.util.RecyclerPool",
                    "com.fasterxml.jackson.core.util.JsonRecyclerPools"),
            Area.startingWith("logging (logback, any caller)", "ch.qos.logback."),
            Area.startingWith("  request log line (WebhookServer.logRequest)", "dev.payhook.http.WebhookServer.logRequest"),
            Area.startingWith("  console appender writes", "ch.qos.logback.core.OutputStreamAppender."),
            Area.startingWith("Micrometer (any caller)", "io.micrometer."),
            Area.startingWith("  meters built or looked up (builders, registry)",
                    "io.micrometer.core.instrument.MeterRegistry.", "io.micrometer.core.instrument.Timer$Builder.",
                    "io.micrometer.core.instrument.Counter$Builder.", "io.micrometer.core.instrument.DistributionSummary$Builder.",
                    "io.micrometer.core.instrument.AbstractTimerBuilder.", "io.micrometer.core.instrument.Tags.",
                    "io.micrometer.core.instrument.Tag."),
            Area.startingWith("claim token from SecureRandom", "java.security.SecureRandom.nextBytes",
                    "sun.security.provider.NativePRNG"),
            Area.startingWith("fingerprint (SHA-256)", "dev.payhook.domain.Fingerprint.of"),
            Area.startingWith("regex compiled (Pattern.compile)", "java.util.regex.Pattern.<init>",
                    "java.util.regex.Pattern.compile"),
            Area.startingWith("  of which String.matches", "java.lang.String.matches"),
            Area.startingWith("time-limited gateway (TimeLimitedPaymentGateway)",
                    "dev.payhook.payment.TimeLimitedPaymentGateway."),
            Area.startingWith("  thread hand-off (submit, virtual thread start)",
                    "java.util.concurrent.ThreadPerTaskExecutor.submit", "java.util.concurrent.ThreadPerTaskExecutor.start"),
            Area.startingWith("UUID request id (WebhookServer.tagRequest)", "dev.payhook.http.WebhookServer.tagRequest"));

    private static final List<Area> LAYERS = List.of(
            Area.startingWith("payhook HTTP adapter (dev.payhook.http)", "dev.payhook.http."),
            Area.startingWith("  WebhookServer.receiveWebhook", "dev.payhook.http.WebhookServer.receiveWebhook"),
            Area.startingWith("  request parsing (WebhookRequestParser)", "dev.payhook.http.WebhookRequestParser."),
            Area.startingWith("use case (WebhookProcessor.process)", "dev.payhook.domain.WebhookProcessor.process"),
            Area.startingWith("store: Redis (RedisIdempotencyStore)", "dev.payhook.redis.RedisIdempotencyStore."),
            Area.startingWith("store: in memory (InMemoryIdempotencyStore)", "dev.payhook.domain.memory.InMemoryIdempotencyStore."),
            Area.startingWith("Jedis", "redis.clients.jedis."),
            Area.startingWith("gateway: simulated", "dev.payhook.payment.SimulatedPaymentGateway."),
            Area.startingWith("gateway: circuit breaker", "dev.payhook.payment.CircuitBreakingPaymentGateway.",
                    "io.github.resilience4j."),
            Area.startingWith("Jackson", "com.fasterxml.jackson."),
            Area.startingWith("Javalin", "io.javalin."),
            Area.startingWith("Jetty", "org.eclipse.jetty."),
            Area.startingWith("GC and JVM threads (no Java frame)", "<no java frame>"));

    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private final Map<String, Long> selfSamples = new HashMap<>();
    private final Map<String, Long> payhookSamples = new HashMap<>();
    private long cpuSamples;
    private long allocatedBytes;
    private Duration parked = Duration.ZERO;
    private Duration blocked = Duration.ZERO;
    private long pinnedCount;
    private Duration pinned = Duration.ZERO;
    private final Map<String, Long> pinnedAt = new HashMap<>();

    private static final class Tally {
        long samples;
        long bytes;
        Duration parked = Duration.ZERO;
        Duration blocked = Duration.ZERO;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java bench/jfr/Hotspots.java RECORDING.jfr");
            System.exit(2);
        }
        Hotspots hotspots = new Hotspots();
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            hotspots.add(event);
        }
        hotspots.print(args[0]);
    }

    private void add(RecordedEvent event) {
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample" -> {
                cpuSamples++;
                List<String> frames = frames(event.getStackTrace());
                selfSamples.merge(frames.isEmpty() ? "<no java frame>" : frames.get(0), 1L, Long::sum);
                frames.stream().filter(m -> m.startsWith("dev.payhook.")).distinct()
                        .forEach(m -> payhookSamples.merge(m, 1L, Long::sum));
                matched(frames).forEach(area -> tally(area).samples++);
            }
            case "jdk.ObjectAllocationSample" -> {
                long weight = event.getLong("weight");
                allocatedBytes += weight;
                matched(frames(event.getStackTrace())).forEach(area -> tally(area).bytes += weight);
            }
            case "jdk.ThreadPark" -> {
                parked = parked.plus(event.getDuration());
                matched(frames(event.getStackTrace())).forEach(area -> {
                    Tally tally = tally(area);
                    tally.parked = tally.parked.plus(event.getDuration());
                });
            }
            case "jdk.JavaMonitorEnter" -> {
                blocked = blocked.plus(event.getDuration());
                matched(frames(event.getStackTrace())).forEach(area -> {
                    Tally tally = tally(area);
                    tally.blocked = tally.blocked.plus(event.getDuration());
                });
            }
            case "jdk.VirtualThreadPinned" -> {
                pinnedCount++;
                pinned = pinned.plus(event.getDuration());
                List<String> frames = frames(event.getStackTrace());
                String where = frames.stream().filter(m -> !m.startsWith("java.") && !m.startsWith("jdk."))
                        .findFirst().orElse(frames.isEmpty() ? "?" : frames.get(0));
                pinnedAt.merge(where, 1L, Long::sum);
            }
            default -> {
            }
        }
    }

    private Tally tally(String area) {
        return tallies.computeIfAbsent(area, name -> new Tally());
    }

    private static List<String> frames(RecordedStackTrace stack) {
        if (stack == null) {
            return List.of();
        }
        return stack.getFrames().stream().filter(RecordedFrame::isJavaFrame)
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName()).toList();
    }

    private static Set<String> matched(List<String> frames) {
        Set<String> areas = new HashSet<>();
        if (frames.isEmpty()) {
            areas.add("GC and JVM threads (no Java frame)");
        }
        for (String frame : frames) {
            for (List<Area> group : List.of(SUSPECTS, LAYERS)) {
                for (Area area : group) {
                    if (area.frame().test(frame)) {
                        areas.add(area.name());
                    }
                }
            }
        }
        return areas;
    }

    private void print(String file) {
        System.out.printf("%s: %d CPU samples, %.0f MB sampled allocation, %d ms parked, %d ms blocked on monitors"
                        + " (waits over the recording's thresholds)%n",
                file, cpuSamples, allocatedBytes / 1e6, parked.toMillis(), blocked.toMillis());
        System.out.printf("%n%-60s %6s  %6s  %9s  %10s%n", "suspects (share of each, inclusive)", "CPU", "alloc", "parked ms", "blocked ms");
        SUSPECTS.forEach(area -> line(area.name()));
        System.out.printf("%nlayers (inclusive)%n");
        LAYERS.forEach(area -> line(area.name()));
        System.out.printf("%ntop methods by own CPU samples%n");
        top(selfSamples, 15);
        System.out.printf("%ntop payhook methods by inclusive CPU samples%n");
        top(payhookSamples, 15);
        System.out.printf("%nvirtual threads pinned: %d times, %d ms in all%n", pinnedCount, pinned.toMillis());
        top(pinnedAt, 5);
    }

    private void line(String area) {
        Tally tally = tallies.getOrDefault(area, new Tally());
        System.out.printf("  %-58s %5.1f%%  %5.1f%%  %9d  %10d%n", area, percent(tally.samples, cpuSamples),
                percent(tally.bytes, allocatedBytes), tally.parked.toMillis(), tally.blocked.toMillis());
    }

    private void top(Map<String, Long> counts, int limit) {
        long total = counts == pinnedAt ? pinnedCount : cpuSamples;
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", percent(e.getValue(), total), e.getKey()));
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
