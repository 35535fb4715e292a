package dev.payhook.payment;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentSearchParams;
import com.stripe.param.PaymentIntentCreateParams.AutomaticPaymentMethods;
import com.stripe.param.PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects;
import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.PaymentGateway;
import dev.payhook.domain.PaymentRequest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges through Stripe: one confirmed PaymentIntent per event, created with the event id as Stripe's
 * {@code Idempotency-Key}, so a retry after a crash, a timeout or a lease takeover returns the same
 * PaymentIntent instead of creating a second one. The PaymentIntent id is the transaction id.
 */
public final class StripePaymentGateway implements PaymentGateway {

    /** The metadata key under which each PaymentIntent carries its event id, to find it from Stripe's side. */
    private static final String EVENT_ID_METADATA = "event_id";
    private static final Logger LOG = LoggerFactory.getLogger(StripePaymentGateway.class);

    private final StripeSettings settings;
    private final JdkStripeTransport transport;
    private final StripeClient client;
    private final StripeResults results;

    public StripePaymentGateway(StripeSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = new JdkStripeTransport(settings.timeout());
        this.client = StripeClient.builder()
                .setApiKey(settings.apiKey())
                .setApiBase(settings.apiBase().toString())
                .setHttpClient(transport)
                // No retries inside a call: they would stretch it past PAYMENT_TIMEOUT and hide failures from
                // the circuit breaker. The sender's redelivery is the retry, with the same idempotency key.
                .setMaxNetworkRetries(0)
                .build();
        this.results = new StripeResults(settings.apiKey());
        String mode = StripeSettings.isLiveKey(settings.apiKey()) ? "live" : "test";
        LOG.atInfo().addKeyValue("api_base", settings.apiBase()).addKeyValue("mode", mode)
                .log("charging through Stripe at {} in {} mode", settings.apiBase(), mode);
    }

    @Override
    public ChargeResult charge(PaymentRequest request) {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(request.idempotencyKey()).build();
        try {
            PaymentIntent intent = client.v1().paymentIntents().create(paramsFor(request), options);
            return results.fromIntent(intent);
        } catch (StripeException e) {
            return results.fromError(e);
        }
    }

    /** Searches the PaymentIntents carrying the event's id; a charged one wins over a declined one. */
    @Override
    public LookupResult lookup(PaymentRequest request) {
        String query = "metadata['" + EVENT_ID_METADATA + "']:'" + request.eventId().value().replace("\\", "\\\\")
                .replace("'", "\\'") + "'";
        try {
            List<PaymentIntent> found = client.v1().paymentIntents()
                    .search(PaymentIntentSearchParams.builder().setQuery(query).build()).getData();
            LookupResult best = new LookupResult.NotFound();
            for (PaymentIntent intent : found) {
                LookupResult result = results.found(intent);
                if (result instanceof LookupResult.Paid || best instanceof LookupResult.NotFound
                        || best instanceof LookupResult.Declined && result instanceof LookupResult.Unclear) {
                    best = result;
                }
                if (best instanceof LookupResult.Paid) {
                    break;
                }
            }
            return best;
        } catch (StripeException e) {
            return new LookupResult.Unclear("stripe search failed: " + e.getClass().getSimpleName(), Optional.empty());
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
                .putMetadata(EVENT_ID_METADATA, request.eventId().value());
        settings.customer().ifPresent(params::setCustomer);
        return params.build();
    }

    @Override
    public void close() {
        transport.close();
    }
}
