package dev.payhook.http;

import dev.payhook.http.metrics.HttpMetrics;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's own refusals, made before a request reaches a route (a malformed request line, a target or headers
 * over the limit), answered as problem+json like every other error, with an {@code X-Request-Id} that their log
 * line carries too, and counted in the rejected-requests metric.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final HttpMetrics metrics;
    private final ServerLimits limits;

    ProblemErrorHandler(HttpMetrics metrics, ServerLimits limits) {
        this.metrics = metrics;
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object cause = request.getAttribute(ERROR_EXCEPTION);
        if (cause instanceof EofException) {
            // The client hung up (or idled out) mid-request: there is nobody left to answer.
            callback.succeeded();
            return true;
        }
        int status = response.getStatus();
        if (cause instanceof HttpException error) {
            status = error.getCode();
        }
        if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // Jetty's word for a request line whose version it cannot read: a malformed request, not our failure.
            status = HttpStatus.BAD_REQUEST_400;
        }
        response.setStatus(status);
        if (status >= 400 && status < 500) {
            metrics.rejected(reason(status));
        }
        // Jetty refuses while it parses and hands on none of the request's headers, so the caller's id is unknown
        // here: a new one ties this answer to its log line.
        String requestId = RequestIds.fresh();
        response.getHeaders().put(RequestIds.HEADER, requestId);
        LOG.atInfo().addKeyValue(RequestIds.LOG_FIELD, requestId).addKeyValue("status", status)
                .log("refused a request before routing: HTTP {}", status);
        generateCacheControl(response);
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Reply.PROBLEM_JSON);
        response.write(true, ByteBuffer.wrap(Reply.problem(problem(status)).bytes()), callback);
        return true;
    }

    private Problem problem(int status) {
        return switch (status) {
            case 400 -> Problem.of(400, "invalid-request", "Invalid request", "the HTTP request is malformed");
            case 408 -> Problem.of(408, "request-timeout", "Request timeout", "the request did not arrive in time");
            case 413 -> Problem.of(413, "payload-too-large", "Payload too large", "the request body is too large");
            case 414 -> Problem.of(414, "uri-too-long", "URI too long", "the request target is too long");
            case 431 -> Problem.of(431, "headers-too-large", "Request headers too large",
                    "the request line and headers exceed the limit of " + limits.maxHeaderBytes() + " bytes");
            default -> Problem.of(status, "http-error", "HTTP error " + status, "the request could not be served");
        };
    }

    private static String reason(int status) {
        return switch (status) {
            case 408 -> "timeout";
            case 413, 414, 431 -> "too_large";
            default -> "malformed";
        };
    }
}
