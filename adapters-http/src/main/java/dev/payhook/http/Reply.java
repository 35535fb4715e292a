package dev.payhook.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response about to be sent: status, headers and a JSON body. */
record Reply(int status, String contentType, Map<String, Object> body, Map<String, String> headers) {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";
    /** Buffers shared between threads: the default pool keeps them per thread, which virtual threads never reuse. */
    private static final ObjectMapper WRITER = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build()).build();

    static Reply json(int status, Map<String, Object> body) {
        return new Reply(status, JSON, body, Map.of());
    }

    static Reply problem(Problem problem) {
        Reply reply = new Reply(problem.status(), PROBLEM_JSON, problem.members(), Map.of());
        return problem.retryAfter().map(delay -> reply.withHeader("Retry-After", seconds(delay))).orElse(reply);
    }

    Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, more);
    }

    /**
     * Writes the answer straight to the servlet response: handed to Javalin as a result, every
     * answer would be copied through a fresh buffer and its compression wrapper, a third of the CPU of a
     * request that pays (docs/performance.md).
     */
    void sendTo(Context ctx) {
        byte[] body = bytes();
        HttpServletResponse response = ctx.res();
        headers.forEach(response::setHeader);
        ctx.status(status);
        response.setContentType(contentType);
        // No Content-Length here: Jetty would complete the response at the last byte, before the request log
        // line and its metrics; it sets the length itself when Javalin closes the stream.
        try {
            response.getOutputStream().write(body);
        } catch (IOException clientGone) {
            // The client stopped listening; the outcome stands, and the request log line still records it.
        }
    }

    byte[] bytes() {
        try {
            return WRITER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
    }

    /** Retry-After in whole seconds, rounded up, at least 1: a client must not retry at once. */
    static String seconds(Duration delay) {
        long millis = Math.max(delay.toMillis(), 1);
        return Long.toString((millis + 999) / 1000);
    }
}
