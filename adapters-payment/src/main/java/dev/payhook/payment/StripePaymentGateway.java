package dev.payhook.payment;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeCollection;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentCreateParams.AutomaticPaymentMethods;
import com.stripe.param.PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.PaymentIntentSearchParams;
import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import dev.payhook.domain.TransactionId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges through Stripe: one confirmed PaymentIntent per attempt of an event, created with
 * {@code <prefix><event id>[:<attempt>]} as Stripe's {@code Idempotency-Key}, so a retry after a crash, a
 * timeout or a lease takeover gets the same PaymentIntent instead of a second one. The PaymentIntent id is
 * the transaction id. Each PaymentIntent carries the event id and the prefix as metadata, by which a lookup
 * finds every attempt of an event; a PaymentIntent already known by id is retrieved directly.
 *
 * <p>Whether Stripe accepts the API key is checked once at start ({@link #verifyCredentials()}) and watched on
 * every answer; a refused key is reported by {@link #problem()} until Stripe accepts it again.
 */
public final class StripePaymentGateway implements PaymentGateway {

    /** The metadata under which each PaymentIntent carries its event id and its deployment's key prefix. */
    static final String EVENT_ID_METADATA = "event_id";
    static final String PREFIX_METADATA = "payhook_prefix";
    /** Stripe's limit on an {@code Idempotency-Key}. */
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    /** While the key is refused, readiness probes ask Stripe again at most this often. */
    static final Duration CREDENTIAL_RECHECK_INTERVAL = Duration.ofSeconds(30);
    /** Far more than the attempts one event can have. */
    private static final long SEARCH_LIMIT = 100;
    /** How far Stripe's clock, which stamps {@code created}, may be from ours. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(10);
    /** Stripe's largest page. */
    private static final long LIST_PAGE = 100;
    /** Pages read to prove an absence; past them the answer waits until search has caught up. */
    static final int MAX_LIST_PAGES = 10;
    private static final Logger LOG = LoggerFactory.getLogger(StripePaymentGateway.class);

    private final StripeSettings settings;
    private final JdkStripeTransport transport;
    private final StripeClient client;
    private final StripeResults results;
    private final Clock clock;
    private final Duration recheckInterval;
    private final AtomicReference<Optional<String>> credentialProblem = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Instant> credentialsCheckedAt = new AtomicReference<>(Instant.MIN);
    private final AtomicBoolean recheckRunning = new AtomicBoolean();
    private volatile boolean closed;

    public StripePaymentGateway(StripeSettings settings) {
        this(settings, Clock.systemUTC(), CREDENTIAL_RECHECK_INTERVAL);
    }

    StripePaymentGateway(StripeSettings settings, Clock clock, Duration recheckInterval) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recheckInterval = Objects.requireNonNull(recheckInterval, "recheckInterval");
        this.transport = new JdkStripeTransport(settings.timeout(), clock);
        this.client = StripeClient.builder()
                .setApiKey(settings.apiKey())
                .setApiBase(settings.apiBase().toString())
                .setHttpClient(transport)
                // No retries inside a call: they would stretch it past PAYMENT_TIMEOUT and hide failures from
                // the circuit breaker. The sender's redelivery is the retry, with the same idempotency key.
                .setMaxNetworkRetries(0)
                .build();
        this.results = new StripeResults(settings.apiKey());
        LOG.atInfo().addKeyValue("api_base", settings.apiBase()).addKeyValue("mode", mode())
                .addKeyValue("idempotency_prefix", settings.idempotencyPrefix())
                .log("charging through Stripe at {} in {} mode, idempotency keys prefixed '{}'",
                        settings.apiBase(), mode(), settings.idempotencyPrefix());
    }

    @Override
    public ChargeResult charge(PaymentRequest request) {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey(request)).build();
        try {
            PaymentIntent intent = client.v1().paymentIntents().create(paramsFor(request), options);
            credentialsAccepted();
            return results.fromIntent(intent);
        } catch (StripeException e) {
            noteRefusedCredentials(e);
            return results.fromError(e);
        }
    }

    /**
     * What earlier attempts of the event came to: the PaymentIntent known by id if there is one (no search
     * lag), else every PaymentIntent carrying the event's id and this deployment's prefix. A charged one wins
     * over one still open, which wins over a declined one.
     *
     * <p>Search lags behind Stripe's writes, so its "nothing" is trusted only for an attempt sent longer ago
     * than the search lag. For a more recent one, the PaymentIntents created while it could have been
     * executing are listed, which Stripe answers from its own records; when they are too many to read, the
     * answer is unclear until search has caught up. Without a send time the caller repeats the attempt's own
     * key, so a missed PaymentIntent would be answered again, not paid twice.
     */
    @Override
    public LookupResult lookup(PaymentRequest request) {
        if (request.reference().isPresent()) {
            Optional<LookupResult> retrieved = retrieve(request.reference().get());
            if (retrieved.isPresent()) {
                return retrieved.get();
            }
        }
        LookupResult searched = search(request);
        if (!(searched instanceof LookupResult.NotFound) || request.sent().isEmpty()) {
            return searched;
        }
        Instant from = request.sent().get().minus(CLOCK_SKEW);
        Instant until = request.sent().get().plus(settings.timeout()).plus(CLOCK_SKEW);
        if (until.isBefore(clock.instant().minus(settings.searchLag()))) {
            return searched;
        }
        return listCreated(request, from, until);
    }

    /** The event's PaymentIntents among all created between {@code from} and {@code until}, newest first. */
    private LookupResult listCreated(PaymentRequest request, Instant from, Instant until) {
        PaymentIntentListParams.Builder params = PaymentIntentListParams.builder()
                .setCreated(PaymentIntentListParams.Created.builder()
                        .setGte(from.getEpochSecond())
                        .setLte(until.getEpochSecond() + 1)
                        .build())
                .setLimit(LIST_PAGE);
        settings.customer().ifPresent(params::setCustomer);
        LookupResult best = new LookupResult.NotFound();
        for (int page = 0; page < MAX_LIST_PAGES; page++) {
            StripeCollection<PaymentIntent> listed;
            try {
                listed = client.v1().paymentIntents().list(params.build());
                credentialsAccepted();
            } catch (StripeException e) {
                noteRefusedCredentials(e);
                return unclear("listing recent PaymentIntents failed", e);
            }
            for (PaymentIntent intent : listed.getData()) {
                if (madeFor(request, intent)) {
                    LookupResult result = results.found(intent);
                    if (rank(result) > rank(best)) {
                        best = result;
                    }
                }
            }
            if (!Boolean.TRUE.equals(listed.getHasMore()) || listed.getData().isEmpty()) {
                return best;
            }
            params.setStartingAfter(listed.getData().getLast().getId());
        }
        return best instanceof LookupResult.NotFound
                ? new LookupResult.Unclear("more than " + MAX_LIST_PAGES * LIST_PAGE + " PaymentIntents were created"
                        + " around the attempt, too many to prove none is this event's; asked again once search"
                        + " has caught up", Optional.empty())
                : best;
    }

    private boolean madeFor(PaymentRequest request, PaymentIntent intent) {
        Map<String, String> metadata = intent.getMetadata();
        return metadata != null && request.eventId().value().equals(metadata.get(EVENT_ID_METADATA))
                && settings.idempotencyPrefix().equals(metadata.get(PREFIX_METADATA));
    }

    /** Empty when Stripe does not know the id (test data can be deleted): then a search decides. */
    private Optional<LookupResult> retrieve(TransactionId id) {
        try {
            PaymentIntent intent = client.v1().paymentIntents().retrieve(id.value());
            credentialsAccepted();
            return Optional.of(results.found(intent));
        } catch (InvalidRequestException missing) {
            if (missing.getStatusCode() != null && missing.getStatusCode() == 404) {
                return Optional.empty();
            }
            return Optional.of(unclear("retrieving " + id + " failed", missing));
        } catch (StripeException e) {
            noteRefusedCredentials(e);
            return Optional.of(unclear("retrieving " + id + " failed", e));
        }
    }

    private LookupResult search(PaymentRequest request) {
        PaymentIntentSearchParams params = PaymentIntentSearchParams.builder()
                .setQuery(searchQuery(request))
                .setLimit(SEARCH_LIMIT)
                .build();
        List<PaymentIntent> found;
        try {
            found = client.v1().paymentIntents().search(params).getData();
            credentialsAccepted();
        } catch (StripeException e) {
            noteRefusedCredentials(e);
            return unclear("search failed", e);
        }
        LookupResult best = new LookupResult.NotFound();
        for (PaymentIntent intent : found) {
            LookupResult result = results.found(intent);
            if (rank(result) > rank(best)) {
                best = result;
            }
        }
        return best;
    }

    private static int rank(LookupResult result) {
        return switch (result) {
            case LookupResult.Paid ignored -> 3;
            case LookupResult.Unclear ignored -> 2;
            case LookupResult.Declined ignored -> 1;
            case LookupResult.NotFound ignored -> 0;
        };
    }

    private LookupResult unclear(String what, StripeException error) {
        return new LookupResult.Unclear(results.describe(what, error), Optional.empty());
    }

    /** Stripe's search query for the event's PaymentIntents made by this deployment. */
    String searchQuery(PaymentRequest request) {
        return "metadata['" + EVENT_ID_METADATA + "']:'" + quoted(request.eventId().value()) + "' AND metadata['"
                + PREFIX_METADATA + "']:'" + quoted(settings.idempotencyPrefix()) + "'";
    }

    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'");
    }

    /**
     * The prefix and the request's key. An event id near the 255 characters an event id may have would make it
     * too long for Stripe: then its SHA-256 stands for it, which is just as stable.
     */
    String idempotencyKey(PaymentRequest request) {
        String key = settings.idempotencyPrefix() + request.idempotencyKey();
        if (key.length() <= MAX_IDEMPOTENCY_KEY_LENGTH) {
            return key;
        }
        return settings.idempotencyPrefix() + "sha256:" + sha256(request.idempotencyKey());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private PaymentIntentCreateParams paramsFor(PaymentRequest request) {
        PaymentIntentCreateParams.Builder params = PaymentIntentCreateParams.builder()
                .setAmount(request.amount())
                .setCurrency(request.currency().code().toLowerCase(Locale.ROOT))
                .setPaymentMethod(settings.paymentMethod())
                .setConfirm(true)
                // Confirmed on the server with nobody to follow a redirect: only methods that need none.
                .setAutomaticPaymentMethods(AutomaticPaymentMethods.builder()
                        .setEnabled(true)
                        .setAllowRedirects(AllowRedirects.NEVER)
                        .build())
                .putMetadata(EVENT_ID_METADATA, request.eventId().value())
                .putMetadata(PREFIX_METADATA, settings.idempotencyPrefix());
        // A webhook-triggered charge has no customer present: said so, issuers exempt it from 3-D Secure
        // where they can, instead of asking for an authentication nobody can give.
        settings.customer().ifPresent(customer -> params.setCustomer(customer).setOffSession(true));
        return params.build();
    }

    /** Stripe's rules for amounts and currencies: a payment they forbid is never sent. */
    @Override
    public Optional<String> refusal(PaymentRequest request) {
        return StripeAmounts.refusal(request.amount(), request.currency());
    }

    /**
     * Asks Stripe once whether it accepts the API key, with one cheap authenticated read; meant for start-up,
     * so that a revoked or mistyped key shows at once, not on the first payment. A refused key is logged as an
     * error and reported by {@link #problem()}; an unreachable API only as a warning, since it says nothing of
     * the key.
     */
    public void verifyCredentials() {
        Optional<StripeException> failure = checkCredentials();
        if (failure.isEmpty()) {
            LOG.atInfo().addKeyValue("mode", mode()).log("Stripe accepted the API key ({} mode)", mode());
        } else if (!StripeResults.refusesCredentials(failure.get())) {
            LOG.atWarn().log("could not check the Stripe API key at start-up: {}; the first charge will tell",
                    results.describe("no answer", failure.get()));
        }
        // A refused key was logged as an error when it was noted.
    }

    /** Empty when Stripe accepted the key; else what went wrong. */
    private Optional<StripeException> checkCredentials() {
        credentialsCheckedAt.set(clock.instant());
        try {
            client.v1().paymentIntents().list(PaymentIntentListParams.builder().setLimit(1L).build());
            credentialsAccepted();
            return Optional.empty();
        } catch (StripeException e) {
            noteRefusedCredentials(e);
            return Optional.of(e);
        }
    }

    /**
     * A refused API key, which stops every charge; empty otherwise. While it holds, Stripe is asked again in
     * the background at most every {@link #CREDENTIAL_RECHECK_INTERVAL}, so that an instance whose readiness
     * keeps traffic away still notices a key that works again.
     */
    @Override
    public Optional<String> problem() {
        Optional<String> problem = credentialProblem.get();
        if (problem.isPresent() && !closed
                && Duration.between(credentialsCheckedAt.get(), clock.instant()).compareTo(recheckInterval) >= 0
                && recheckRunning.compareAndSet(false, true)) {
            Thread.ofVirtual().name("stripe-credential-check").start(() -> {
                try {
                    checkCredentials();
                } finally {
                    recheckRunning.set(false);
                }
            });
        }
        return problem;
    }

    private void noteRefusedCredentials(StripeException error) {
        if (!StripeResults.refusesCredentials(error)) {
            return;
        }
        String problem = results.describe("the API key was refused", error);
        credentialsCheckedAt.set(clock.instant());
        if (credentialProblem.getAndSet(Optional.of(problem)).isEmpty()) {
            LOG.atError().log("{}; every charge fails, and readiness reports it, until Stripe accepts the key"
                    + " (STRIPE_API_KEY) again", problem);
        }
    }

    private void credentialsAccepted() {
        if (credentialProblem.getAndSet(Optional.empty()).isPresent()) {
            LOG.info("Stripe accepts the API key again");
        }
    }

    private String mode() {
        return StripeSettings.isLiveKey(settings.apiKey()) ? "live" : "test";
    }

    @Override
    public void close() {
        closed = true;
        transport.close();
    }
}
