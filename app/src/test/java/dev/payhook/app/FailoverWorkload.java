package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.payment.fixtures.StripeStandIn;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Jepsen-style failover run against two instances of the packaged jar: steady load of new events and
 * redeliveries spread over both, a fault injected in the middle, every request and answer kept in a
 * history, then every event redelivered until it is paid, and invariants checked over the whole history
 * and the provider stand-in's count of payments.
 */
final class FailoverWorkload {

    /**
     * Longer than every timeout one request can run into (a claim and a completion, each up to a few Redis
     * command timeouts with a cluster's retries, and the 3 s payment timeout): past it, a request hung.
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final int WORKERS = 6;
    private static final Duration PAUSE = Duration.ofMillis(10);
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration AFTER_FOLLOW = Duration.ofSeconds(2);
    /** Longer than the lease, which a claim stranded by the fault holds. */
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(45);
    private static final Pattern TRANSACTION = Pattern.compile("\"transaction_id\":\"([^\"]+)\"");

    /** One request and its answer; {@code status} is 0 when no HTTP answer came. */
    record Delivery(String eventId, boolean firstDelivery, int instance, long startNanos, long endNanos, int status,
                    Optional<String> retryAfter, String body, String phase) {

        Duration latency() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        Optional<String> transactionId() {
            Matcher matcher = TRANSACTION.matcher(body);
            return status == 200 && matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        }

        @Override
        public String toString() {
            return phase + " " + eventId + " on instance " + instance + " -> " + status + " "
                    + retryAfter.map(value -> "Retry-After " + value + " ").orElse("") + body;
        }
    }

    /** A readiness probe of one instance. */
    record Probe(int instance, long atNanos, int status) {
    }

    private final StripeStandIn stripe;
    private final List<ServiceProcess> instances;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger eventCount = new AtomicInteger();
    private final List<Delivery> history = Collections.synchronizedList(new ArrayList<>());
    private final List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Long> followedAt = new ConcurrentHashMap<>();
    private volatile long faultAt = Long.MAX_VALUE;
    private volatile long promotedAt;
    private volatile Predicate<String> affected = id -> true;
    private int warmUpPayments;
    private int warmUpCalls;

    FailoverWorkload(StripeStandIn stripe, ServiceProcess first, ServiceProcess second) {
        this.stripe = stripe;
        this.instances = List.of(first, second);
    }

    /**
     * Environment for the jars: a lease that covers two payment timeouts and two store operations at their
     * slowest even on a cluster (a claim stranded by the fault frees up after it, so it is kept short with
     * short timeouts), and a short failure TTL so that a warm-up payment timed out by a cold JVM is retried
     * soon.
     */
    static Map<String, String> stripeEnvironment(StripeStandIn stripe) {
        return StripeEnvironment.of(stripe,
                "PAYMENT_TIMEOUT", "3s",
                "REDIS_COMMAND_TIMEOUT", "500ms",
                "LEASE_TTL", "14s",
                "FAILURE_TTL", "1s");
    }

    /**
     * Runs load, then {@code fault} while the load goes on, waits (in the background) for {@code promotion},
     * keeps the load until both instances have paid a new event whose key the fault hit ({@code affected})
     * or {@code followBound} runs out, and finally redelivers every event until it is paid.
     */
    FailoverWorkload run(Runnable fault, Runnable promotion, Duration followBound, Predicate<String> affected)
            throws Exception {
        this.affected = affected;
        warmUp();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicBoolean probing = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                workers.add(pool.submit(() -> load(loading)));
            }
            List<Future<?>> probers = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) {
                int instance = i;
                probers.add(pool.submit(() -> probe(instance, probing, followBound)));
            }

            long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
            awaitUntil(() -> System.nanoTime() > warmUpEnd && paidNewEventOnBoth(), Duration.ofSeconds(30),
                    "both instances paying before the fault");
            faultAt = System.nanoTime();
            fault.run();
            Future<?> promoted = pool.submit(() -> {
                promotion.run();
                promotedAt = System.nanoTime();
            });
            long followDeadline = faultAt + followBound.toNanos();
            while (followedAt.size() < instances.size() && System.nanoTime() < followDeadline) {
                ServiceProcess.sleep(Duration.ofMillis(20));
            }
            long lastFollow = followedAt.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
            ServiceProcess.sleep(Duration.ofNanos(Math.max(0, lastFollow + AFTER_FOLLOW.toNanos() - System.nanoTime())));
            loading.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }
            probing.set(false);
            for (Future<?> prober : probers) {
                prober.get();
            }
            promoted.get();
        }
        settle();
        return this;
    }

    /**
     * A first payment on each instance, outside the history: a cold JVM may take longer than the payment
     * timeout for it. The provider's counts are taken afterwards, so they cover only the history's events.
     */
    private void warmUp() {
        for (ServiceProcess instance : instances) {
            String body = "{\"event_id\":\"evt_" + run + "_warm_" + instance.port + "\",\"amount\":100}";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (instance.send(HttpRequest.newBuilder(instance.uri("/webhooks")).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, "instance on port " + instance.port + " never paid its warm-up");
                ServiceProcess.sleep(Duration.ofMillis(500));
            }
        }
        warmUpPayments = stripe.paymentIntentsCreated();
        warmUpCalls = stripe.requestCount();
    }

    private void load(AtomicBoolean loading) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (loading.get()) {
            int known = eventCount.get();
            boolean fresh = known == 0 || random.nextBoolean();
            int event = fresh ? eventCount.getAndIncrement() : random.nextInt(known);
            int instance = random.nextInt(instances.size());
            Delivery delivery = deliver(event, fresh, instance, System.nanoTime() < faultAt ? "before" : "after");
            if (fresh && delivery.status() == 200 && delivery.startNanos() > faultAt && affected.test(delivery.eventId())) {
                followedAt.putIfAbsent(instance, delivery.endNanos());
            }
            ServiceProcess.sleep(PAUSE);
        }
    }

    private boolean paidNewEventOnBoth() {
        Set<Integer> paid = new HashSet<>();
        synchronized (history) {
            for (Delivery delivery : history) {
                if (delivery.firstDelivery() && delivery.status() == 200) {
                    paid.add(delivery.instance());
                }
            }
        }
        return paid.size() == instances.size();
    }

    /**
     * Probes one instance's readiness every 100 ms while the load runs, and afterwards until it answers 200
     * again (a probe may take a few command timeouts on a cluster) or {@code followBound} after the fault.
     */
    private void probe(int index, AtomicBoolean probing, Duration followBound) {
        ServiceProcess instance = instances.get(index);
        int status = 0;
        while (probing.get() || status != 200 && System.nanoTime() - faultAt < followBound.toNanos()) {
            try {
                status = instance.send(HttpRequest.newBuilder(instance.uri("/health/ready"))
                        .timeout(REQUEST_TIMEOUT).GET().build()).statusCode();
            } catch (IllegalStateException noAnswer) {
                status = 0;
            }
            probes.add(new Probe(index, System.nanoTime(), status));
            ServiceProcess.sleep(Duration.ofMillis(100));
        }
    }

    /** Redelivers every event, spread over both instances, until each has been answered 200 in this phase. */
    private void settle() throws Exception {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                workers.add(pool.submit(() -> {
                    for (int event = next.getAndIncrement(); event < eventCount.get(); event = next.getAndIncrement()) {
                        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                            if (deliver(event, false, (event + attempt) % instances.size(), "settle").status() == 200) {
                                break;
                            }
                            ServiceProcess.sleep(Duration.ofMillis(200));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
    }

    private Delivery deliver(int event, boolean first, int instance, String phase) {
        String id = "evt_" + run + "_" + event;
        String body = "{\"event_id\":\"" + id + "\",\"amount\":" + (100 + event) + ",\"currency\":\"eur\"}";
        ServiceProcess target = instances.get(instance);
        HttpRequest request = HttpRequest.newBuilder(target.uri("/webhooks"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        Delivery delivery;
        try {
            HttpResponse<String> response = target.send(request);
            delivery = new Delivery(id, first, instance, start, System.nanoTime(), response.statusCode(),
                    response.headers().firstValue("Retry-After"), response.body(), phase);
        } catch (IllegalStateException noAnswer) {
            delivery = new Delivery(id, first, instance, start, System.nanoTime(), 0, Optional.empty(),
                    String.valueOf(noAnswer.getCause()), phase);
        }
        history.add(delivery);
        return delivery;
    }

    private static void awaitUntil(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "gave up waiting for " + what);
            ServiceProcess.sleep(Duration.ofMillis(20));
        }
    }

    /** From the fault to the first 200 of a new event whose key the fault hit, on each instance. */
    Map<Integer, Duration> followTimes() {
        Map<Integer, Duration> times = new TreeMap<>();
        followedAt.forEach((instance, at) -> times.put(instance, Duration.ofNanos(at - faultAt)));
        return times;
    }

    /**
     * The invariants of a failover, checked over the whole history: answers are only 200, 409 or 503 with
     * Retry-After, in time; every event is paid in the end; all 200s of one event name one transaction;
     * no two events share one; and the provider made exactly one payment per event.
     */
    void assertInvariants(Duration followBound, boolean readinessMustDrop, String name) {
        List<Delivery> all = List.copyOf(history);
        List<String> violations = new ArrayList<>();
        Map<String, Set<String>> transactionsByEvent = new HashMap<>();
        Set<String> paidInSettle = new HashSet<>();
        Duration slowest = Duration.ZERO;
        for (Delivery delivery : all) {
            slowest = delivery.latency().compareTo(slowest) > 0 ? delivery.latency() : slowest;
            switch (delivery.status()) {
                case 200 -> {
                    Optional<String> transaction = delivery.transactionId();
                    if (transaction.filter(id -> id.startsWith("pi_")).isEmpty()) {
                        violations.add("200 without a PaymentIntent id: " + delivery);
                    } else {
                        transactionsByEvent.computeIfAbsent(delivery.eventId(), id -> new HashSet<>()).add(transaction.get());
                        if (delivery.phase().equals("settle")) {
                            paidInSettle.add(delivery.eventId());
                        }
                    }
                }
                case 409, 503 -> {
                    if (delivery.retryAfter().filter(value -> value.matches("[1-9][0-9]*")).isEmpty()) {
                        violations.add("no valid Retry-After: " + delivery);
                    }
                }
                default -> violations.add("unexpected answer: " + delivery);
            }
        }
        int events = eventCount.get();
        Map<String, String> eventByTransaction = new HashMap<>();
        transactionsByEvent.forEach((event, transactions) -> {
            if (transactions.size() != 1) {
                violations.add(event + " was answered with several transactions " + transactions);
            }
            transactions.forEach(transaction -> {
                String other = eventByTransaction.putIfAbsent(transaction, event);
                if (other != null && !other.equals(event)) {
                    violations.add(transaction + " named by two events, " + other + " and " + event);
                }
            });
        });
        int payments = stripe.paymentIntentsCreated() - warmUpPayments;
        int calls = stripe.requestCount() - warmUpCalls;
        Map<String, Map<Integer, Long>> statuses = all.stream().collect(Collectors.groupingBy(Delivery::phase,
                TreeMap::new, Collectors.groupingBy(Delivery::status, TreeMap::new, Collectors.counting())));
        Map<Integer, Duration> follow = followTimes();
        System.out.printf("%s: %d events, %d deliveries, answers by phase %s; Stripe calls %d, payments %d;"
                        + " instances followed after %s ms; promotion seen after %d ms; readiness 503 for %s ms;"
                        + " slowest answer %d ms%n",
                name, events, all.size(), statuses, calls, payments,
                follow.values().stream().map(d -> Long.toString(d.toMillis())).toList(),
                promotedAt == 0 ? -1 : Duration.ofNanos(promotedAt - faultAt).toMillis(),
                readinessDrops().values().stream().map(d -> Long.toString(d.toMillis())).toList(), slowest.toMillis());

        assertTrue(violations.isEmpty(), () -> violations.size() + " violations, e.g.\n"
                + violations.stream().limit(20).collect(Collectors.joining("\n")));
        assertEquals(events, paidInSettle.size(), "events paid when redelivered after the fault");
        assertEquals(events, transactionsByEvent.size(), "events answered 200");
        assertEquals(events, payments, "payments at the provider (PaymentIntents) == distinct events");
        assertEquals(payments, eventByTransaction.size(), "transactions named in 200s == PaymentIntents created");
        assertTrue(calls >= payments, "calls " + calls + " < payments " + payments);
        assertEquals(instances.size(), follow.size(), "instances that paid a new event after the fault: " + follow);
        follow.forEach((instance, time) -> assertTrue(time.compareTo(followBound) <= 0,
                "instance " + instance + " followed after " + time.toMillis() + " ms, bound " + followBound.toMillis()));
        assertTrue(slowest.compareTo(REQUEST_TIMEOUT) < 0, "a request hung for " + slowest);
        for (int i = 0; i < instances.size(); i++) {
            int instance = i;
            List<Probe> after = probes.stream().filter(p -> p.instance() == instance && p.atNanos() > faultAt).toList();
            assertTrue(!after.isEmpty() && after.getLast().status() == 200,
                    "instance " + instance + " was not ready again at the end: " + after);
            if (readinessMustDrop) {
                assertTrue(after.stream().anyMatch(p -> p.status() == 503),
                        "instance " + instance + " stayed ready while no primary answered");
            }
            assertTrue(after.stream().allMatch(p -> p.status() == 200 || p.status() == 503),
                    "readiness answered something else than 200 or 503: " + after);
        }
    }

    /** Per instance, from the first not-ready probe after the fault to the last one. */
    Map<Integer, Duration> readinessDrops() {
        Map<Integer, Duration> drops = new TreeMap<>();
        for (int i = 0; i < instances.size(); i++) {
            int instance = i;
            List<Probe> down = probes.stream()
                    .filter(p -> p.instance() == instance && p.atNanos() > faultAt && p.status() != 200).toList();
            drops.put(instance, down.isEmpty() ? Duration.ZERO
                    : Duration.ofNanos(down.getLast().atNanos() - down.getFirst().atNanos()));
        }
        return drops;
    }
}
