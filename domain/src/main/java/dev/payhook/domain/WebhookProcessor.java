package dev.payhook.domain;

import dev.payhook.domain.ChargeResult.Charged;
import dev.payhook.domain.ChargeResult.Failed;
import dev.payhook.domain.ChargeResult.NotAttempted;
import dev.payhook.domain.IdempotencyRecord.InProgress;
import dev.payhook.domain.IdempotencyRecord.Succeeded;
import dev.payhook.domain.WebhookOutcome.AlreadyProcessed;
import dev.payhook.domain.WebhookOutcome.GatewayUnavailable;
import dev.payhook.domain.WebhookOutcome.NotPayable;
import dev.payhook.domain.WebhookOutcome.PayloadMismatch;
import dev.payhook.domain.WebhookOutcome.PaymentFailed;
import dev.payhook.domain.WebhookOutcome.PaymentPending;
import dev.payhook.domain.WebhookOutcome.Processed;
import dev.payhook.domain.WebhookOutcome.RecentlyFailed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The use case: pay each event exactly once, however often and wherever it is delivered.
 *
 * <p>Claim the event id; if someone else's record is there, answer from it; otherwise charge with the
 * event id as idempotency key and replace our claim with the result, fenced on our claim token. An answer
 * that leaves open whether the provider paid is recorded as unknown, never guessed: once it is due, the next
 * delivery asks the provider what happened before it charges again, under the next attempt's key.
 */
public final class WebhookProcessor {

    private final IdempotencyStore store;
    private final PaymentGateway gateway;
    private final IdempotencyPolicy policy;
    private final Supplier<ClaimToken> tokens;
    private final ProcessingObserver observer;
    private final PendingCompletions pending;
    private final Clock clock;

    /** {@code pending} must write to the same {@code store} and tell the same {@code observer}. */
    public WebhookProcessor(
            IdempotencyStore store,
            PaymentGateway gateway,
            IdempotencyPolicy policy,
            Supplier<ClaimToken> tokens,
            ProcessingObserver observer,
            PendingCompletions pending,
            Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Decides one delivery. Throws {@link IdempotencyStoreUnavailable} when the store cannot answer before
     * the charge, and {@link StoredRecordUnreadable} when it holds a value for the event that is not a
     * record; no payment is attempted then. Once the gateway has answered, its answer is the outcome,
     * whatever the store does afterwards.
     */
    public WebhookOutcome process(PaymentEvent event) {
        long started = System.nanoTime();
        try {
            WebhookOutcome outcome = decide(event);
            observer.processed(event, outcome, since(started));
            return outcome;
        } catch (IdempotencyStoreUnavailable e) {
            observer.storeUnavailable(event, e, since(started));
            throw e;
        } catch (StoredRecordUnreadable e) {
            observer.recordUnreadable(event, e, since(started));
            throw e;
        }
    }

    private WebhookOutcome decide(PaymentEvent event) {
        Fingerprint fingerprint = event.fingerprint();
        Optional<PendingCompletions.Waiting> waiting = pending.find(event.id());
        if (waiting.isPresent()) {
            // Paid (or refused) here moments ago, and the store has not taken the result yet.
            Duration rest = policy.failureTtl().minus(waiting.get().age());
            return answerFrom(event.id(), fingerprint, waiting.get().record(), rest.isNegative() ? Duration.ZERO : rest);
        }
        PaymentRequest request = PaymentRequest.of(event);
        Optional<String> refusal = gateway.refusal(request);
        if (refusal.isPresent()) {
            return new NotPayable(event.id(), refusal.get());
        }
        Claim claim = policy.claimFor(fingerprint, tokens.get());
        return switch (store.claim(event.id(), claim)) {
            case ClaimResult.Existing existing ->
                    answerFrom(event.id(), fingerprint, existing.stored().record(), existing.stored().remaining());
            case ClaimResult.Claimed claimed -> {
                if (claimed.tookOverExpiredLease()) {
                    observer.leaseTakenOver(event.id());
                }
                PaymentRequest attempt = request.attempt(claimed.attempt())
                        .withReference(claimed.reconciling().flatMap(IdempotencyRecord.Unknown::reference))
                        .sentAt(claimed.reconciling().map(IdempotencyRecord.Unknown::sent));
                yield claimed.mustReconcile()
                        ? reconcileThenPay(event, claim, attempt, claimed.reconciling())
                        : pay(event, claim, attempt, Optional.empty());
            }
        };
    }

    /** {@code remaining}: how long the record still counts (the rest of a lease, a TTL, or the wait to reconcile). */
    private WebhookOutcome answerFrom(EventId id, Fingerprint fingerprint, IdempotencyRecord record,
                                      Duration remaining) {
        if (!record.fingerprint().equals(fingerprint)) {
            return new PayloadMismatch(id);
        }
        return switch (record) {
            case InProgress ignored -> new WebhookOutcome.InProgress(id, remaining);
            case IdempotencyRecord.Unknown ignored -> new PaymentPending(id, remaining);
            case Succeeded succeeded -> new AlreadyProcessed(id, succeeded.transactionId());
            case IdempotencyRecord.Declined declined -> new WebhookOutcome.Declined(id, declined.reason(), true);
            case IdempotencyRecord.Failed ignored -> new RecentlyFailed(id, remaining);
        };
    }

    /**
     * An earlier attempt's outcome is unknown: ask the provider before charging. Only when it finds nothing
     * is this attempt charged, under its own key, since a saved error answer would be replayed for the old one.
     */
    private WebhookOutcome reconcileThenPay(PaymentEvent event, Claim claim, PaymentRequest request,
                                            Optional<IdempotencyRecord.Unknown> unknown) {
        EventId id = event.id();
        Instant unknownSince = unknown.map(IdempotencyRecord.Unknown::since).orElseGet(clock::instant);
        // Without an unknown outcome this is a takeover, which charges again under the same key.
        Instant sent = unknown.map(IdempotencyRecord.Unknown::sent).orElseGet(clock::instant);
        LookupResult found = lookup(request);
        observer.reconciled(id, found, Duration.between(unknownSince, clock.instant()));
        return switch (found) {
            case LookupResult.Paid paid -> {
                finish(id, claim, new Succeeded(claim.fingerprint(), paid.transactionId()), policy.successTtl());
                yield new Processed(id, paid.transactionId());
            }
            case LookupResult.Declined declined -> {
                finish(id, claim, new IdempotencyRecord.Declined(claim.fingerprint(), declined.reason()),
                        policy.successTtl());
                yield new WebhookOutcome.Declined(id, declined.reason(), false);
            }
            case LookupResult.Unclear unclear -> {
                // This attempt was not sent: the next try asks again, as the same attempt.
                markUnknown(id, claim, new IdempotencyRecord.Unknown(claim.fingerprint(), request.attempt() - 1,
                        unclear.reason(), unclear.reference().or(request::reference), unknownSince, sent));
                yield new PaymentPending(id, policy.reconcileAfter());
            }
            case LookupResult.NotFound ignored -> pay(event, claim, request, Optional.of(unknownSince));
        };
    }

    private WebhookOutcome pay(PaymentEvent event, Claim claim, PaymentRequest request,
                               Optional<Instant> unknownSince) {
        EventId id = event.id();
        Fingerprint fingerprint = claim.fingerprint();
        Instant sent = clock.instant();
        return switch (charge(request)) {
            case Charged charged -> {
                finish(id, claim, new Succeeded(fingerprint, charged.transactionId()), policy.successTtl());
                yield new Processed(id, charged.transactionId());
            }
            case ChargeResult.Declined declined -> {
                finish(id, claim, new IdempotencyRecord.Declined(fingerprint, declined.reason()), policy.successTtl());
                yield new WebhookOutcome.Declined(id, declined.reason(), false);
            }
            case Failed failed -> {
                finish(id, claim, new IdempotencyRecord.Failed(fingerprint, failed.reason()), policy.failureTtl());
                yield new PaymentFailed(id, failed.reason());
            }
            case ChargeResult.Unknown unknown -> {
                markUnknown(id, claim, new IdempotencyRecord.Unknown(fingerprint, request.attempt(), unknown.reason(),
                        unknown.reference(), unknownSince.orElseGet(clock::instant), sent));
                yield new PaymentPending(id, policy.reconcileAfter());
            }
            case NotAttempted notAttempted -> {
                // Nothing reached the provider, so there is nothing to remember: let the next delivery try.
                release(id, claim);
                yield new GatewayUnavailable(id, notAttempted.reason(), notAttempted.retryAfter());
            }
        };
    }

    private ChargeResult charge(PaymentRequest request) {
        long started = System.nanoTime();
        ChargeResult result;
        try {
            result = gateway.charge(request);
        } catch (RuntimeException e) {
            // The request may have reached the provider: its outcome is unknown.
            result = new ChargeResult.Unknown("gateway error: " + e.getClass().getSimpleName());
        }
        observer.gatewayCalled(result, since(started));
        return result;
    }

    private LookupResult lookup(PaymentRequest request) {
        try {
            return gateway.lookup(request);
        } catch (RuntimeException e) {
            return new LookupResult.Unclear("lookup error: " + e.getClass().getSimpleName(), Optional.empty());
        }
    }

    private void finish(EventId id, Claim claim, IdempotencyRecord.Terminal record, Duration ttl) {
        try {
            if (!store.complete(id, claim, record, ttl)) {
                // Our lease ran out and another worker took over; it charges with the same idempotency key,
                // so the provider gives it the same payment. Its record stands, ours is dropped.
                observer.completionFenced(id);
            }
        } catch (IdempotencyStoreUnavailable e) {
            // The gateway has spoken: that stays the answer, and the record is written when the store is back.
            pending.add(id, claim, record, ttl, e);
        }
    }

    /**
     * If this write fails the claim stays in progress; once its lease runs out the next delivery charges
     * again under the same key, and the provider answers as it did now, so nothing is lost by not queueing it.
     */
    private void markUnknown(EventId id, Claim claim, IdempotencyRecord.Unknown record) {
        try {
            if (!store.markUnknown(id, claim, record, policy.reconcileAfter(), policy.successTtl())) {
                observer.completionFenced(id);
            }
        } catch (IdempotencyStoreUnavailable e) {
            observer.claimLeftToExpire(id, e);
        }
    }

    private void release(EventId id, Claim claim) {
        try {
            store.release(id, claim);
        } catch (IdempotencyStoreUnavailable e) {
            observer.claimLeftToExpire(id, e);
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
