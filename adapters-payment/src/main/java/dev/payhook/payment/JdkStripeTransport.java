package dev.payhook.payment;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.net.HttpContent;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * stripe-java's transport on {@code java.net.http} instead of the SDK's default {@code HttpURLConnection},
 * which re-sends a POST by itself after a dropped connection (the retries we turned off, by the back door)
 * and, on JDK 21, blocks virtual threads' carriers inside synchronized I/O while a provider hangs.
 *
 * <p>It also tells apart what the SDK lumps together as a connection error: a request that was never sent
 * ({@link NotSent}: connection refused, no connection within the connect timeout, a failed TLS handshake)
 * from one that was sent, or may have been, and got no answer. And it keeps the {@code Retry-After} of a 429
 * ({@link RateLimited}), which the SDK's own exception drops.
 */
final class JdkStripeTransport extends com.stripe.net.HttpClient implements AutoCloseable {

    /** Headers {@code java.net.http} sets itself and refuses from callers. */
    private static final Set<String> MANAGED_HEADERS =
            Set.of("connection", "content-length", "content-type", "date", "expect", "host", "upgrade", "via", "warning");
    /** Connecting takes milliseconds when the API is there; the rest of the call is left for the answer. */
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long to wait after a 429 when Stripe does not say. */
    static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(2);
    /** Past this a 429's wait is cut: the sender retries anyway, and Stripe's limits are per second. */
    static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    JdkStripeTransport(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
        Duration connectTimeout = timeout.dividedBy(2);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout.compareTo(MAX_CONNECT_TIMEOUT) > 0 ? MAX_CONNECT_TIMEOUT : connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public StripeResponse request(StripeRequest request) throws StripeException {
        HttpRequest.Builder http = newRequest(request).timeout(timeout);
        request.headers().map().forEach((name, values) -> {
            if (!MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> http.header(name, value));
            }
        });
        http.setHeader("User-Agent", buildUserAgentString(request));
        http.setHeader("X-Stripe-Client-User-Agent", buildXStripeClientUserAgentString());
        HttpContent content = request.content();
        if (content == null) {
            http.method(request.method().name(), BodyPublishers.noBody());
        } else {
            http.setHeader("Content-Type", content.contentType());
            http.method(request.method().name(), BodyPublishers.ofByteArray(content.byteArrayContent()));
        }
        HttpResponse<String> response;
        try {
            response = client.send(http.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            if (neverSent(e)) {
                throw new NotSent("could not connect to " + request.url().getHost(), e);
            }
            throw new ApiConnectionException("no answer from " + request.url().getHost(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted while waiting for " + request.url().getHost(), e);
        }
        if (response.statusCode() == 429) {
            throw rateLimited(response);
        }
        return new StripeResponse(response.statusCode(), HttpHeaders.of(response.headers().map()), response.body());
    }

    /** Failures that happen before the first byte of the request leaves: connecting and the TLS handshake. */
    private static boolean neverSent(IOException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                    || cause instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private RateLimited rateLimited(HttpResponse<String> response) {
        Duration wait = response.headers().firstValue("Retry-After").flatMap(this::retryAfter)
                .orElse(DEFAULT_RATE_LIMIT_WAIT);
        if (wait.compareTo(MAX_RATE_LIMIT_WAIT) > 0) {
            wait = MAX_RATE_LIMIT_WAIT;
        }
        return new RateLimited("too many requests, retry after " + wait.toSeconds() + " s",
                response.headers().firstValue("Request-Id").orElse(null), wait);
    }

    /** {@code Retry-After} as seconds or as an HTTP date; at least one second. */
    private Optional<Duration> retryAfter(String value) {
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        return Optional.of(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
    }

    private static HttpRequest.Builder newRequest(StripeRequest request) throws ApiConnectionException {
        try {
            return HttpRequest.newBuilder(request.url().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ApiConnectionException("not a usable URL: " + request.url(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** The request never left: nothing can have happened at Stripe. */
    static final class NotSent extends ApiConnectionException {
        NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Stripe turned the request away without executing it (429), and says how long to wait. */
    static final class RateLimited extends StripeException {
        private final transient Duration retryAfter;
        private final String text;

        RateLimited(String text, String requestId, Duration retryAfter) {
            super(text, requestId, "rate_limit", 429);
            this.text = text;
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }

        /** What happened, without the code and request id that {@link #getMessage()} adds. */
        String text() {
            return text;
        }
    }
}
