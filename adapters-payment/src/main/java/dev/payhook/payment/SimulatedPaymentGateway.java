package dev.payhook.payment;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.domain.TransactionId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A stand-in provider for demos, tests and benchmarks. Charges as {@code txn_<amount>} like the original
 * service, and honours idempotency keys the way real providers do: a key that was charged or declined
 * gets the same answer again and is never charged twice. Transient failures are not remembered, so a
 * retry may succeed. Latency, failures and declines come from {@link SimulationSettings}.
 */
public final class SimulatedPaymentGateway implements PaymentGateway {

    /** Keys remembered; the oldest are forgotten past this, as providers expire keys after a while. */
    static final int REMEMBERED_KEYS = 100_000;

    private final SimulationSettings settings;
    private final RandomGenerator random;
    private final Map<String, ChargeResult> settled = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ChargeResult> eldest) {
            return size() > REMEMBERED_KEYS;
        }
    };

    public SimulatedPaymentGateway(SimulationSettings settings, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public ChargeResult charge(PaymentRequest request) {
        pause();
        synchronized (settled) {
            ChargeResult earlier = settled.get(request.idempotencyKey());
            if (earlier != null) {
                return earlier;
            }
            if (roll(settings.failureRate())) {
                return new ChargeResult.Failed("simulated transient failure", true);
            }
            ChargeResult result = roll(settings.declineRate())
                    ? new ChargeResult.Declined("card_declined")
                    : new ChargeResult.Charged(new TransactionId("txn_" + request.amount()));
            settled.put(request.idempotencyKey(), result);
            return result;
        }
    }

    private boolean roll(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }

    private void pause() {
        if (settings.latency().isZero()) {
            return;
        }
        try {
            Thread.sleep(settings.latency());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
