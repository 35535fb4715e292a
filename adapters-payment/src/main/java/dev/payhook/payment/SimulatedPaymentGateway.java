package dev.payhook.payment;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.domain.TransactionId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A stand-in provider for demos, tests and benchmarks; it moves no money. Charges as {@code txn_<amount>}
 * like the original service, and honours idempotency keys the way real providers do: a key that was
 * charged or declined gets the same answer again and is never charged twice. Its provider errors leave the
 * outcome unknown and are not remembered, so a lookup finds nothing and a later attempt may succeed.
 * Lookups answer from what it remembers of every attempt of an event. Latency, errors and declines come
 * from {@link SimulationSettings}. A latency of {@code timeout} or more is cut off there, as a client's own
 * timeout would: the charge's outcome is then unknown. Bounding itself, it needs no thread to watch it.
 */
public final class SimulatedPaymentGateway implements PaymentGateway {

    /**
     * Keys remembered; the oldest are forgotten past this, as providers expire keys after a while. Enough for
     * any redelivery in a demo or test; a far longer memory, ever renewed, only made young collections long.
     */
    static final int REMEMBERED_KEYS = 10_000;

    private final SimulationSettings settings;
    private final RandomGenerator random;
    private final Duration timeout;
    private final Map<String, ChargeResult> settled = bounded();
    /** What any attempt of each event came to, for lookups. */
    private final Map<String, ChargeResult> byEvent = bounded();

    private static Map<String, ChargeResult> bounded() {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ChargeResult> eldest) {
                return size() > REMEMBERED_KEYS;
            }
        };
    }

    public SimulatedPaymentGateway(SimulationSettings settings, RandomGenerator random, Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public ChargeResult charge(PaymentRequest request) {
        if (!pause()) {
            return new ChargeResult.Unknown(timedOut());
        }
        synchronized (settled) {
            ChargeResult earlier = settled.get(request.idempotencyKey());
            if (earlier != null) {
                return earlier;
            }
            if (roll(settings.failureRate())) {
                return new ChargeResult.Unknown("simulated provider error (HTTP 500)");
            }
            ChargeResult result = roll(settings.declineRate())
                    ? new ChargeResult.Declined("card_declined")
                    : new ChargeResult.Charged(new TransactionId("txn_" + request.amount()));
            settled.put(request.idempotencyKey(), result);
            byEvent.put(request.eventId().value(), result);
            return result;
        }
    }

    @Override
    public LookupResult lookup(PaymentRequest request) {
        if (!pause()) {
            return new LookupResult.Unclear(timedOut(), Optional.empty());
        }
        synchronized (settled) {
            return switch (byEvent.get(request.eventId().value())) {
                case ChargeResult.Charged charged -> new LookupResult.Paid(charged.transactionId());
                case ChargeResult.Declined declined -> new LookupResult.Declined(declined.reason());
                case null, default -> new LookupResult.NotFound();
            };
        }
    }

    private boolean roll(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }

    /** Waits the simulated latency; false when the timeout ran out first (or the wait was interrupted). */
    private boolean pause() {
        if (settings.latency().isZero()) {
            return true;
        }
        boolean inTime = settings.latency().compareTo(timeout) < 0;
        try {
            Thread.sleep(inTime ? settings.latency() : timeout);
            return inTime;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String timedOut() {
        return "payment gateway timed out after " + timeout.toMillis() + " ms";
    }
}
