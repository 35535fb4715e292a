package dev.payhook.payment;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.ChargeResult.Charged;
import dev.payhook.domain.ChargeResult.Declined;
import dev.payhook.domain.ChargeResult.Failed;
import dev.payhook.domain.ChargeResult.NotAttempted;
import dev.payhook.domain.ChargeResult.Unknown;
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.TransactionId;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns what Stripe answered into a {@link ChargeResult} or a {@link LookupResult} (the mapping is the table
 * in docs/payment-providers.md, "Stripe"). Every reason is cut short and scrubbed of anything shaped like an
 * API key, because reasons end up in logs, in the idempotency store and in answers to the sender.
 */
final class StripeResults {

    private static final Pattern KEY_SHAPED = Pattern.compile("\\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*]+");
    private static final int MAX_REASON_LENGTH = 300;
    /** Nothing was sent: the API could not be reached. Soon enough to come back, long enough not to hammer it. */
    static final Duration NOT_SENT_RETRY_AFTER = Duration.ofSeconds(2);

    private final String apiKey;

    StripeResults(String apiKey) {
        this.apiKey = apiKey;
    }

    /** A PaymentIntent created with {@code confirm=true}, by its status. */
    ChargeResult fromIntent(PaymentIntent intent) {
        String status = String.valueOf(intent.getStatus());
        TransactionId id = new TransactionId(intent.getId());
        return switch (status) {
            // requires_capture: authorised, captured later; the money is held for us.
            case "succeeded", "requires_capture" -> new Charged(id);
            // Accepted, settling asynchronously (bank debits, some wallets): it may still fail.
            case "processing" -> new Unknown("stripe: PaymentIntent " + id + " is processing", Optional.of(id));
            case "requires_payment_method" -> new Declined(scrub(declineReason(intent.getLastPaymentError(), status)));
            // Nobody is present to complete 3-D Secure for a webhook-triggered payment.
            case "requires_action" -> new Declined("authentication_required");
            case "canceled" -> new Declined("canceled");
            default -> new Failed(scrub("stripe: PaymentIntent " + id + " was left in status " + status));
        };
    }

    /** What a PaymentIntent found for an event says about it, for a lookup. */
    LookupResult found(PaymentIntent intent) {
        return switch (fromIntent(intent)) {
            case Charged charged -> new LookupResult.Paid(charged.transactionId());
            case Declined declined -> new LookupResult.Declined(declined.reason());
            default -> new LookupResult.Unclear(scrub("stripe: PaymentIntent " + intent.getId() + " is "
                    + intent.getStatus()), Optional.of(new TransactionId(intent.getId())));
        };
    }

    /** An error answer, or no answer at all, to a charge. */
    ChargeResult fromError(StripeException error) {
        return switch (error) {
            case JdkStripeTransport.NotSent notSent ->
                    new NotAttempted(describe("API unreachable, nothing sent", notSent), NOT_SENT_RETRY_AFTER);
            // Stripe did not execute a rate-limited request: nothing happened, try again shortly.
            case JdkStripeTransport.RateLimited rateLimited ->
                    new NotAttempted(describe("rate limited", rateLimited), rateLimited.retryAfter());
            case RateLimitException rateLimited ->
                    new NotAttempted(describe("rate limited", rateLimited), JdkStripeTransport.DEFAULT_RATE_LIMIT_WAIT);
            case CardException card -> new Declined(scrub(declineReason(card.getStripeError(), "card_declined")));
            case ApiConnectionException lost -> new Unknown(describe("no answer after sending", lost));
            // PermissionException is an AuthenticationException, so it must come first.
            case PermissionException forbidden -> new Failed(describe("permission denied", forbidden));
            case AuthenticationException unauthenticated -> new Failed(describe("authentication failed", unauthenticated));
            // 400: this key was used before with other parameters; Stripe will answer the same again.
            case IdempotencyException reused -> new Failed(describe("idempotency key reused differently", reused));
            case InvalidRequestException invalid -> new Failed(describe("invalid request", invalid));
            // 409: a request with this key is still running at Stripe (after a takeover, say); its outcome is open.
            case ApiException conflict when status(conflict) == 409 ->
                    new Unknown(describe("idempotency key in use by a request still running", conflict));
            case ApiException refused when status(refused) >= 400 && status(refused) < 500 ->
                    new Failed(describe("request refused", refused));
            case ApiException server -> new Unknown(describe("server error", server));
            default -> new Unknown(describe("unexpected error", error));
        };
    }

    /** Whether Stripe refused the credentials themselves: nothing can be charged until the key is replaced. */
    static boolean refusesCredentials(StripeException error) {
        return error instanceof AuthenticationException;
    }

    private static int status(StripeException error) {
        return error.getStatusCode() == null ? 0 : error.getStatusCode();
    }

    String describe(String what, StripeException error) {
        StringBuilder text = new StringBuilder("stripe: ").append(what);
        if (status(error) > 0) {
            text.append(" (HTTP ").append(status(error)).append(')');
        }
        text.append(": ").append(message(error));
        if (error.getRequestId() != null) {
            text.append(" [").append(error.getRequestId()).append(']');
        }
        return scrub(text.toString());
    }

    private static String message(StripeException error) {
        StripeError stripeError = error.getStripeError();
        if (stripeError != null && stripeError.getMessage() != null) {
            return stripeError.getMessage();
        }
        if (error instanceof JdkStripeTransport.RateLimited rateLimited) {
            return rateLimited.text();
        }
        // A connection failure has no Stripe error; its cause says what went wrong (refused, timed out, ...).
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }

    private static String declineReason(StripeError error, String fallback) {
        if (error == null) {
            return fallback;
        }
        if (error.getDeclineCode() != null) {
            return error.getDeclineCode();
        }
        return error.getCode() != null ? error.getCode() : fallback;
    }

    String scrub(String reason) {
        String scrubbed = KEY_SHAPED.matcher(reason.replace(apiKey, "(hidden)")).replaceAll("(hidden)");
        return scrubbed.length() <= MAX_REASON_LENGTH ? scrubbed : scrubbed.substring(0, MAX_REASON_LENGTH) + "…";
    }
}
