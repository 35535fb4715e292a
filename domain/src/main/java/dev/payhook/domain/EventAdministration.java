package dev.payhook.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator may do with one event's record during an incident, and nothing that could pay twice:
 * look at it, ask the provider about an unknown or failed outcome and record what it finds, release a
 * record of a payment that surely did not happen, list the records in a state.
 */
public final class EventAdministration {

    /** Why a record the provider found no payment for is kept as failed rather than deleted outright. */
    static final String FOUND_NO_PAYMENT = "the provider found no payment for it";

    private final IdempotencyStore store;
    private final PaymentGateway gateway;
    private final IdempotencyPolicy policy;

    public EventAdministration(IdempotencyStore store, PaymentGateway gateway, IdempotencyPolicy policy) {
        this.store = Objects.requireNonNull(store, "store");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Optional<HeldRecord> inspect(EventId id) {
        return store.inspect(id);
    }

    public RecordPage list(RecordState state, Optional<String> cursor, int limit) {
        return store.list(state, cursor, limit);
    }

    /**
     * For an {@code UNKNOWN} or {@code FAILED} record of {@code event}'s payment: asks the provider now and
     * records what it found. A payment or a decline found replaces the record; for an unknown outcome, no
     * payment found makes it a failure (nothing was charged), which may then be released.
     */
    public AdminOutcome reconcile(PaymentEvent event) {
        Optional<HeldRecord> found = store.inspect(event.id());
        if (found.isEmpty()) {
            return new AdminOutcome.Missing();
        }
        HeldRecord held = found.get();
        if (!held.record().fingerprint().equals(event.fingerprint())) {
            return new AdminOutcome.Mismatch(held);
        }
        if (!(held.record() instanceof IdempotencyRecord.Unknown || held.record() instanceof IdempotencyRecord.Failed)) {
            return new AdminOutcome.Refused(held, "only an UNKNOWN or FAILED record is reconciled; this one is "
                    + held.state());
        }
        Optional<IdempotencyRecord.Unknown> unknown = held.record() instanceof IdempotencyRecord.Unknown open
                ? Optional.of(open) : Optional.empty();
        LookupResult result = lookup(PaymentRequest.of(event)
                .attempt(unknown.map(IdempotencyRecord.Unknown::attempt).orElse(1))
                .withReference(unknown.flatMap(IdempotencyRecord.Unknown::reference))
                .sentAt(unknown.map(IdempotencyRecord.Unknown::sent)));
        Optional<IdempotencyRecord.Terminal> settled = switch (result) {
            case LookupResult.Paid paid -> Optional.of(new IdempotencyRecord.Succeeded(event.fingerprint(),
                    paid.transactionId()));
            case LookupResult.Declined declined -> Optional.of(new IdempotencyRecord.Declined(event.fingerprint(),
                    declined.reason()));
            case LookupResult.NotFound ignored -> held.record() instanceof IdempotencyRecord.Unknown
                    ? Optional.of(new IdempotencyRecord.Failed(event.fingerprint(), FOUND_NO_PAYMENT))
                    : Optional.empty();
            case LookupResult.Unclear ignored -> Optional.empty();
        };
        if (settled.isEmpty()) {
            return new AdminOutcome.Reconciled(result, held.record(), false);
        }
        Duration ttl = settled.get() instanceof IdempotencyRecord.Failed ? policy.failureTtl() : policy.successTtl();
        if (!store.replace(event.id(), held.version(), settled, ttl)) {
            return new AdminOutcome.Changed();
        }
        return new AdminOutcome.Reconciled(result, settled.get(), true);
    }

    /**
     * Deletes a {@code FAILED} record, whose payment the provider refused or found nothing of, so that the
     * next delivery pays without waiting out the failure TTL. Every other state is refused, saying why.
     */
    public AdminOutcome release(EventId id) {
        Optional<HeldRecord> found = store.inspect(id);
        if (found.isEmpty()) {
            return new AdminOutcome.Missing();
        }
        HeldRecord held = found.get();
        String refusal = switch (held.record()) {
            case IdempotencyRecord.Failed ignored -> null;
            case IdempotencyRecord.Succeeded ignored -> "the event was paid; deleting the record would let a"
                    + " redelivery pay again";
            case IdempotencyRecord.Declined ignored -> "the event was declined, a final answer; deleting the record"
                    + " would let a redelivery be charged";
            case IdempotencyRecord.InProgress ignored -> "a delivery is paying this event right now; deleting its"
                    + " claim would let another pay in parallel";
            case IdempotencyRecord.Unknown ignored -> "the outcome is unknown: the provider may have paid it."
                    + " Reconcile it first; a record the provider found no payment for can then be released";
        };
        if (refusal != null) {
            return new AdminOutcome.Refused(held, refusal);
        }
        return store.replace(id, held.version(), Optional.empty(), Duration.ZERO)
                ? new AdminOutcome.Released(held) : new AdminOutcome.Changed();
    }

    private LookupResult lookup(PaymentRequest request) {
        try {
            return gateway.lookup(request);
        } catch (RuntimeException e) {
            return new LookupResult.Unclear("lookup error: " + e.getClass().getSimpleName(), Optional.empty());
        }
    }
}
