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
import dev.payhook.domain.LookupResult;
import dev.payhook.domain.TransactionId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns what Stripe answered into a {@link ChargeResult} (the mapping is documented in
 * docs/payment-providers.md, "Stripe"). Every reason is cut short and scrubbed of anything shaped like an API key, because reasons
 * end up in logs, in the idempotency store and in the 502 answer to the sender.
 */
final class StripeResults {

    private static final Pattern KEY_SHAPED = Pattern.compile("\\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*]+");
    private static final int MAX_REASON_LENGTH = 300;
    private static final java.time.Duration RATE_LIMIT_RETRY = java.time.Duration.ofSeconds(2);

    private final String apiKey;

    StripeResults(String apiKey) {
        this.apiKey = apiKey;
    }

    /** What a PaymentIntent found for an event says about it, for a lookup. */
    LookupResult found(PaymentIntent intent) {
        return switch (fromIntent(intent)) {
            case Charged charged -> new LookupResult.Paid(charged.transactionId());
            case Declined declined -> new LookupResult.Declined(declined.reason());
            default -> new LookupResult.Unclear("stripe PaymentIntent " + intent.getId() + " is " + intent.getStatus(),
                    Optional.of(new TransactionId(intent.getId())));
        };
    }

    /** A PaymentIntent created with {@code confirm=true}, by its status. */
    ChargeResult fromIntent(PaymentIntent intent) {
        String status = String.valueOf(intent.getStatus());
        return switch (status) {
            // processing: accepted, settles asynchronously; requires_capture: authorised, captured later.
            case "succeeded", "processing", "requires_capture" -> new Charged(new TransactionId(intent.getId()));
            case "requires_payment_method" -> new Declined(scrub(declineReason(intent.getLastPaymentError(), status)));
            // Nobody is present to complete 3-D Secure for a webhook-triggered payment.
            case "requires_action" -> new Declined("authentication_required");
            case "canceled" -> new Declined("canceled");
            default -> new Failed(scrub("stripe left PaymentIntent " + intent.getId() + " in status " + status));
        };
    }

    /** An error answer, or no answer at all. */
    ChargeResult fromError(StripeException error) {
        return switch (error) {
            case CardException card -> new Declined(scrub(declineReason(card.getStripeError(), "card_declined")));
            // Stripe did not execute a rate-limited request: nothing happened, try again shortly.
            case RateLimitException rateLimited -> new NotAttempted(describe("rate limited", rateLimited), RATE_LIMIT_RETRY);
            case ApiConnectionException unreachable -> transientFailure("no answer", unreachable);
            // PermissionException is an AuthenticationException, so it must come first.
            case PermissionException forbidden -> permanentFailure("permission denied", forbidden);
            case AuthenticationException unauthenticated -> permanentFailure("authentication failed", unauthenticated);
            // 409: a request with this key is still running at Stripe (after a takeover, say); its outcome is open.
            case IdempotencyException inUse when Integer.valueOf(409).equals(inUse.getStatusCode()) ->
                    transientFailure("idempotency key in use by a request still running", inUse);
            case IdempotencyException conflict -> permanentFailure("idempotency key reused differently", conflict);
            case InvalidRequestException invalid -> permanentFailure("invalid request", invalid);
            case ApiException api when isClientError(api) -> permanentFailure("request refused", api);
            case ApiException api -> transientFailure("server error", api);
            default -> transientFailure("unexpected error", error);
        };
    }

    /** 4xx other than a conflict: Stripe will answer the same again. 409 is a concurrent-request lock. */
    private static boolean isClientError(ApiException error) {
        Integer status = error.getStatusCode();
        return status != null && status >= 400 && status < 500 && status != 409;
    }

    private ChargeResult transientFailure(String what, StripeException error) {
        return new ChargeResult.Unknown(describe(what, error));
    }

    private Failed permanentFailure(String what, StripeException error) {
        return new Failed(describe(what, error));
    }

    private String describe(String what, StripeException error) {
        StringBuilder text = new StringBuilder("stripe: ").append(what);
        if (error.getStatusCode() != null && error.getStatusCode() > 0) {
            text.append(" (HTTP ").append(error.getStatusCode()).append(')');
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

    private String scrub(String reason) {
        String scrubbed = KEY_SHAPED.matcher(reason.replace(apiKey, "(hidden)")).replaceAll("(hidden)");
        return scrubbed.length() <= MAX_REASON_LENGTH ? scrubbed : scrubbed.substring(0, MAX_REASON_LENGTH) + "…";
    }
}
