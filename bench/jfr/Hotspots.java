import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * goes: the share of CPU samples, allocation samples and long waits (park, monitor) spent inside each known
 * suspect of the performance issue and each layer of the stack, counted once per sample however deep.
 * Run it as a source file: {@code java bench/jfr/Hotspots.java target/benchmark/<time>/payhook-redis-new.jfr}.
 */
public final class Hotspots {

    /** A place in the code, recognised on a stack given as "class.method" frames, innermost first. */
    private record Area(String name, Predicate<List<String>> stack) {
        /** Any frame starts with one of the prefixes. */
        static Area anyFrame(String name, String... prefixes) {
            return new Area(name, frames -> frames.stream().anyMatch(frame -> startsWithAny(frame, prefixes)));
        }

        /** Inside {@code outer}, and a frame starts with one of the prefixes. */
        static Area within(Area outer, String name, String... prefixes) {
            return new Area(name, outer.stack().and(anyFrame(name, prefixes).stack()));
        }

        /** Inside {@code outer}, and no frame starts with any of the prefixes. */
        static Area withinExcept(Area outer, String name, String... prefixes) {
            return new Area(name, outer.stack().and(anyFrame(name, prefixes).stack().negate()));
        }

        private static boolean startsWithAny(String frame, String... prefixes) {
            for (String prefix : prefixes) {
                if (frame.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final Area LOGGING = Area.anyFrame("logging (logback, any caller)", "ch.qos.logback.");
    private static final Area MICROMETER = Area.anyFrame("Micrometer (any caller)", "io.micrometer.");
    private static final Area FINGERPRINT = Area.anyFrame("fingerprint, SHA-256 (Fingerprint.of)",
            "dev.payhook.domain.Fingerprint.of");
    private static final Area REGEX = Area.anyFrame("regex compiled (Pattern.compile)", "java.util.regex.Pattern.<init>",
            "java.util.regex.Pattern.compile");
    private static final Area TIME_LIMIT = Area.anyFrame("time-limited gateway (TimeLimitedPaymentGateway)",
            "dev.payhook.payment.TimeLimitedPaymentGateway.");

    private static final List<Area> SUSPECTS = List.of(
            Area.anyFrame("body read through an InputStream (WebhookServer.readBody)",
                    "dev.payhook.http.WebhookServer.readBody"),
            Area.anyFrame("Jackson buffer recycling",
                    "com.fasterxml.jackson.core.util.BufferRecycler", "com.fasterxml.jackson.core.util.RecyclerPool",
                    "com.fasterxml.jackson.core.util.JsonRecyclerPools"),
            LOGGING,
            Area.within(LOGGING, "  request log line (WebhookServer.logRequest)", "dev.payhook.http.WebhookServer.logRequest"),
            Area.within(LOGGING, "  console appender writes", "ch.qos.logback.core.OutputStreamAppender."),
            MICROMETER,
            Area.within(MICROMETER, "  meters built or looked up (builders, registry, tags)",
                    "io.micrometer.core.instrument.MeterRegistry.", "io.micrometer.core.instrument.Timer$Builder.",
                    "io.micrometer.core.instrument.Counter$Builder.", "io.micrometer.core.instrument.AbstractTimerBuilder.",
                    "io.micrometer.core.instrument.DistributionSummary$Builder.", "io.micrometer.core.instrument.Tags.",
                    "io.micrometer.core.instrument.Tag.", "io.micrometer.core.instrument.ImmutableTag."),
            Area.anyFrame("claim token from SecureRandom", "java.security.SecureRandom.nextBytes",
                    "sun.security.provider.NativePRNG"),
            FINGERPRINT,
            Area.within(FINGERPRINT, "  again for a duplicate (WebhookProcessor.answerFrom)",
                    "dev.payhook.domain.WebhookProcessor.answerFrom"),
            REGEX,
            Area.within(REGEX, "  from String.matches", "java.lang.String.matches"),
            TIME_LIMIT,
            Area.withinExcept(TIME_LIMIT, "  without the charge itself (hand-off, thread start)",
                    "dev.payhook.payment.SimulatedPaymentGateway.", "dev.payhook.payment.StripePaymentGateway."),
            Area.anyFrame("request id: UUID and MDC (WebhookServer.tagRequest)", "dev.payhook.http.WebhookServer.tagRequest"));

    private static final List<Area> LAYERS = List.of(
            Area.anyFrame("payhook HTTP adapter (dev.payhook.http)", "dev.payhook.http."),
            Area.anyFrame("  WebhookServer.receiveWebhook", "dev.payhook.http.WebhookServer.receiveWebhook"),
            Area.anyFrame("  request parsing (WebhookRequestParser)", "dev.payhook.http.WebhookRequestParser."),
            Area.anyFrame("  answer written (Reply.sendTo)", "dev.payhook.http.Reply.sendTo"),
            Area.anyFrame("use case (WebhookProcessor.process)", "dev.payhook.domain.WebhookProcessor.process"),
            Area.anyFrame("store: Redis (RedisIdempotencyStore)", "dev.payhook.redis.RedisIdempotencyStore."),
            Area.anyFrame("store: in memory (InMemoryIdempotencyStore)", "dev.payhook.domain.memory.InMemoryIdempotencyStore."),
            Area.anyFrame("Jedis", "redis.clients.jedis."),
            Area.anyFrame("gateway: simulated", "dev.payhook.payment.SimulatedPaymentGateway."),
            Area.anyFrame("gateway: circuit breaker", "dev.payhook.payment.CircuitBreakingPaymentGateway.",
                    "io.github.resilience4j."),
            Area.anyFrame("Jackson", "com.fasterxml.jackson."),
            Area.anyFrame("Javalin", "io.javalin."),
            Area.anyFrame("  response written by Javalin (writeResponseAndLog)",
                    "io.javalin.http.servlet.JavalinServlet.writeResponseAndLog"),
            Area.anyFrame("Jetty", "org.eclipse.jetty."),
            Area.anyFrame("virtual thread park and unpark", "jdk.internal.vm.Continuation.yield",
                    "java.lang.VirtualThread.park", "java.lang.VirtualThread.unpark",
                    "java.lang.VirtualThread.yieldContinuation", "java.lang.VirtualThread.submitRunContinuation"));

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
    private final Map<String, Long> allocationSites = new HashMap<>();
    private long heapAfterLastGc = -1;
    private long heapGrowth;
    private Instant growthStart;
    private Instant growthEnd;
    private long collections;
    private Duration gcPauses = Duration.ZERO;
    private long cpuLoads;
    private double jvmCpu;
    private double machineCpu;

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
                // Counted, not weighed: on virtual threads one sample can carry gigabytes of weight.
                long weight = 1;
                allocatedBytes += weight;
                List<String> frames = frames(event.getStackTrace());
                String type = event.getClass("objectClass").getName();
                allocationSites.merge(type + " in " + frames.stream().filter(m -> !m.startsWith("java."))
                        .findFirst().orElse("?"), weight, Long::sum);
                matched(frames).forEach(area -> tally(area).bytes += weight);
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
            case "jdk.GCHeapSummary" -> {
                long used = event.getLong("heapUsed");
                if ("Before GC".equals(event.getString("when"))) {
                    if (heapAfterLastGc >= 0) {
                        heapGrowth += used - heapAfterLastGc;
                        growthEnd = event.getStartTime();
                    }
                } else {
                    heapAfterLastGc = used;
                    if (growthStart == null) {
                        growthStart = event.getStartTime();
                    }
                }
            }
            case "jdk.GarbageCollection" -> {
                collections++;
                gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
            }
            case "jdk.CPULoad" -> {
                cpuLoads++;
                jvmCpu += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                machineCpu += event.getFloat("machineTotal");
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
        for (List<Area> group : List.of(SUSPECTS, LAYERS)) {
            for (Area area : group) {
                if (area.stack().test(frames)) {
                    areas.add(area.name());
                }
            }
        }
        return areas;
    }

    private void print(String file) {
        System.out.printf("%s: %d CPU samples, %d allocation samples, %d ms parked, %d ms blocked on monitors"
                        + " (waits over the recording's thresholds)%n",
                file, cpuSamples, allocatedBytes, parked.toMillis(), blocked.toMillis());
        if (growthStart != null && growthEnd != null && growthEnd.isAfter(growthStart)) {
            System.out.printf("allocation rate: %.0f MB/s (heap growth between collections)%n",
                    heapGrowth / 1e6 / (Duration.between(growthStart, growthEnd).toMillis() / 1e3));
        }
        System.out.printf("CPU: this JVM %.0f%%, the whole machine %.0f%% (of all cores, average); GC: %d collections,"
                        + " %d ms of pauses%n", percent(jvmCpu, cpuLoads), percent(machineCpu, cpuLoads), collections,
                gcPauses.toMillis());
        System.out.printf("%n%-60s %6s  %6s  %9s  %10s%n", "suspects (share of each, inclusive)", "CPU", "alloc", "parked ms", "blocked ms");
        SUSPECTS.forEach(area -> line(area.name()));
        System.out.printf("%nlayers (inclusive)%n");
        LAYERS.forEach(area -> line(area.name()));
        System.out.printf("%ntop methods by own CPU samples%n");
        top(selfSamples, 15);
        System.out.printf("%ntop payhook methods by inclusive CPU samples%n");
        top(payhookSamples, 15);
        System.out.printf("%ntop allocation samples (type in the first frame outside java.*)%n");
        top(allocationSites, 10);
        System.out.printf("%nvirtual threads pinned: %d times, %d ms in all%n", pinnedCount, pinned.toMillis());
        top(pinnedAt, 5);
    }

    private void line(String area) {
        Tally tally = tallies.getOrDefault(area, new Tally());
        System.out.printf("  %-58s %5.1f%%  %5.1f%%  %9d  %10d%n", area, percent(tally.samples, cpuSamples),
                percent(tally.bytes, allocatedBytes), tally.parked.toMillis(), tally.blocked.toMillis());
    }

    private void top(Map<String, Long> counts, int limit) {
        long total = counts == pinnedAt ? pinnedCount : counts == allocationSites ? allocatedBytes : cpuSamples;
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", percent(e.getValue(), total), e.getKey()));
    }

    private static double percent(double part, double whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
