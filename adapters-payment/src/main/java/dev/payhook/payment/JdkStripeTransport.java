package dev.payhook.payment;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.net.HttpContent;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * stripe-java's transport on {@code java.net.http} instead of the SDK's default {@code HttpURLConnection},
 * which re-sends a POST by itself after a dropped connection (the retries we turned off, by the back door)
 * and, on JDK 21, blocks virtual threads' carriers inside synchronized I/O while a provider hangs.
 */
final class JdkStripeTransport extends com.stripe.net.HttpClient implements AutoCloseable {

    /** Headers {@code java.net.http} sets itself and refuses from callers. */
    private static final Set<String> MANAGED_HEADERS =
            Set.of("connection", "content-length", "content-type", "date", "expect", "host", "upgrade", "via", "warning");

    private final HttpClient client;
    private final Duration timeout;

    JdkStripeTransport(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
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
        try {
            HttpResponse<String> response = client.send(http.build(), BodyHandlers.ofString());
            return new StripeResponse(response.statusCode(), HttpHeaders.of(response.headers().map()), response.body());
        } catch (IOException e) {
            throw new ApiConnectionException("no answer from " + request.url(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted while waiting for " + request.url(), e);
        }
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
}
