package dev.payhook.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.payhook.domain.RateLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing (Jazzer) of {@code POST /webhooks} with signatures required, over real sockets. Each
 * input becomes one of: a forged request (any headers, signatures and body bytes), a correctly signed request whose
 * body can never be a valid event, or raw bytes after a request line. Whatever the input, the answer is never a 5xx,
 * the refusals are whole problems, and nothing reaches the store or the gateway.
 *
 * <p>Runs in fuzzing mode, bounded in time, in its own JVM (the {@code fuzz} execution of the module's pom).
 */
class WebhookRequestFuzzTest {

    /** A fixed test secret, so that a crashing input found once replays the same way. */
    private static final String SECRET = "whsec_folGpGx/NDLYWJ5PryLdwK6DKLRy2wTA";
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost");
    /** Fixed before the fuzzed part, so that no suffix can make the body a payable event. */
    private static final String UNPAYABLE_PREFIX = "{\"amount\":\"not a number\",";

    private static RunningServer server;
    private static Sender sender;

    @BeforeAll
    static void start() {
        // Forged inputs would soon spend the loopback address's failed-signature allowance, and the signed inputs
        // after them would be refused before their body is parsed: here every input is to reach the parser.
        server = new RunningServer(HttpSettings.onPort(0), RunningServer.Edge.OPEN.withSecrets(List.of(SECRET))
                .withFailedSignatures(new FailedSignatureLimiter(new RateLimit(1_000_000_000L, Duration.ofMinutes(1)))));
        sender = new Sender(SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // libFuzzer dictionary syntax: \xNN escapes for quotes, backslashes and line ends.
    @DictionaryEntries({"amount", "event_id", "currency", "\\x22amount\\x22:", "\\x22event_id\\x22:", "\\x5Cu00",
            "null", "true", "1e309", "-0", "v1,", " v1,", "application/json", "charset=", "Content-Length: ",
            "Transfer-Encoding: chunked", "Content-Type: ", "webhook-id: ", "webhook-timestamp: ",
            "webhook-signature: ", "\\x0D\\x0A"})
    @FuzzTest(maxDuration = "20s")
    void no_input_gets_a_5xx_or_reaches_the_store_or_the_gateway(FuzzedDataProvider data) {
        // Jazzer's request-forgery detector refuses every connection but those allowed here.
        int port = server.port();
        BugDetectors.allowNetworkConnections((host, to) -> to == port && LOOPBACK.contains(host));
        switch (data.consumeInt(0, 2)) {
            case 0 -> {
                RawResponse response = post(forged(data));
                assertTrue(response.status() == 401 || response.status() == 415, response::toString);
                assertWholeProblem(response);
            }
            case 1 -> {
                RawResponse response = post(signedButUnpayable(data));
                assertEquals(400, response.status(), response::toString);
                assertWholeProblem(response);
            }
            default -> {
                String answer = raw(data);
                assertFalse(answer.matches("(?s).*HTTP/1\\.1 5\\d\\d.*"), answer);
            }
        }
        assertEquals(0, server.store.calls.get(), "store calls");
        assertEquals(0, server.gateway.calls(), "gateway calls");
    }

    /** The headers a fuzzed request sets (beside Host, Content-Length and Connection) and its body. */
    private record FuzzedRequest(Map<String, String> headers, byte[] body) {
    }

    /** The answer names its own status: a problem, neither empty nor cut short. */
    private static void assertWholeProblem(RawResponse response) {
        assertEquals(response.status(), Json.parse(response.body()).path("status").asInt(), response::toString);
    }

    /** Any headers, any signature, any body bytes: never a valid signature. */
    private static FuzzedRequest forged(FuzzedDataProvider data) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (data.consumeBoolean()) {
            headers.put("Content-Type", data.consumeBoolean() ? "application/json" : headerValue(data));
        }
        if (data.consumeBoolean()) {
            headers.put(WebhookServer.ID_HEADER, headerValue(data));
        }
        if (data.consumeBoolean()) {
            headers.put(WebhookServer.TIMESTAMP_HEADER, data.consumeBoolean()
                    ? Long.toString(nearNow(data).getEpochSecond()) : headerValue(data));
        }
        if (data.consumeBoolean()) {
            headers.put(WebhookServer.SIGNATURE_HEADER, data.consumeBoolean()
                    ? "v1," + Base64.getEncoder().encodeToString(data.consumeBytes(32)) : headerValue(data));
        }
        return new FuzzedRequest(headers, data.consumeRemainingAsBytes());
    }

    /** Signed with the configured secret by the reference library, so the signature passes; the body cannot pay. */
    private static FuzzedRequest signedButUnpayable(FuzzedDataProvider data) {
        String id = headerValue(data);
        if (id.isEmpty()) {
            id = "evt_fuzz";
        }
        Instant at = server.clock.instant().plusSeconds(data.consumeInt(-299, 299));
        String body = UNPAYABLE_PREFIX + data.consumeRemainingAsString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(WebhookServer.ID_HEADER, id);
        headers.put(WebhookServer.TIMESTAMP_HEADER, Long.toString(at.getEpochSecond()));
        headers.put(WebhookServer.SIGNATURE_HEADER, sender.signature(id, at, body));
        return new FuzzedRequest(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Written byte for byte on a connection of its own that the server closes after its answer, so that the
     * answer is checked exactly as the server framed it, whatever came before. (Reusing connections after
     * refusals is tested on its own, in ServerLimitsTest.)
     */
    private static RawResponse post(FuzzedRequest request) {
        StringBuilder head = new StringBuilder("POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(request.body().length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = Arrays.copyOf(headBytes, headBytes.length + request.body().length);
        System.arraycopy(request.body(), 0, whole, headBytes.length, request.body().length);
        try (RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(10))) {
            // In one write, as one segment: a refusal made before the body is read then still finds it all there.
            connection.tryWrite(whole);
            return RawResponse.parse(connection.readAll());
        }
    }

    /** Raw bytes after a request line: headers, framing and body are all the fuzzer's. */
    private static String raw(FuzzedDataProvider data) {
        byte[] rest = data.consumeRemainingAsBytes();
        try (RawConnection connection = new RawConnection(server.port(), Duration.ofSeconds(2))) {
            // Jetty may answer and hang up before all of it is written; the answer is read either way.
            boolean written = connection.tryWrite("POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    && connection.tryWrite(rest) && connection.tryWrite("\r\n\r\n");
            if (written) {
                connection.finish();
            }
            return connection.readAll();
        }
    }

    private static Instant nearNow(FuzzedDataProvider data) {
        return server.clock.instant().plusSeconds(data.consumeInt(-600, 600));
    }

    /** Visible ASCII and spaces only, as an HTTP client accepts in a header value. */
    private static String headerValue(FuzzedDataProvider data) {
        String text = data.consumeAsciiString(data.consumeInt(0, 300));
        StringBuilder value = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c >= 0x21 && c <= 0x7e) {
                value.append(c);
            } else if (c == ' ' && !value.isEmpty()) {
                value.append(c);
            }
        }
        return value.toString().strip();
    }
}
