package dev.payhook.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The JSON lines of {@code LOG_FORMAT=json}, encoded as the shipped logback.xml configures them. */
class JsonLogLinesTest {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final LoggerContext context = ShippedLogback.configure("json");
    private final Encoder<ILoggingEvent> encoder = ShippedLogback.encoder(context);
    private final Logger logger = context.getLogger("dev.payhook.http.WebhookServer");

    @AfterEach
    void stopLogging() {
        context.stop();
    }

    @Test
    void an_event_is_one_line_of_json_with_its_key_value_pairs_as_top_level_fields() throws Exception {
        LoggingEvent event = event(Level.INFO, "{} {} {}", null, "POST", "/webhooks", 200);
        event.addKeyValuePair(new KeyValuePair("request_id", "req-1"));
        event.addKeyValuePair(new KeyValuePair("event_id", "evt_1"));

        String line = encode(event);
        JsonNode json = parse(line);

        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        assertEquals("POST /webhooks 200", json.path("message").asText());
        assertEquals("INFO", json.path("level").asText());
        assertEquals("dev.payhook.http.WebhookServer", json.path("logger").asText());
        assertEquals(Thread.currentThread().getName(), json.path("thread").asText());
        assertEquals(Instant.ofEpochMilli(event.getTimeStamp()), Instant.parse(json.path("timestamp").asText()));
        assertEquals("req-1", json.path("request_id").asText());
        assertEquals("evt_1", json.path("event_id").asText());
    }

    @Test
    void numbers_and_booleans_stay_json_literals_and_absent_values_are_left_out() throws Exception {
        LoggingEvent event = event(Level.INFO, "request", null);
        event.addKeyValuePair(new KeyValuePair("status", 422));
        event.addKeyValuePair(new KeyValuePair("duration_ms", 12.5));
        event.addKeyValuePair(new KeyValuePair("bytes", 9_000_000_000L));
        event.addKeyValuePair(new KeyValuePair("replayed", true));
        event.addKeyValuePair(new KeyValuePair("ratio", Double.NaN));
        event.addKeyValuePair(new KeyValuePair("outcome", null));

        JsonNode json = parse(encode(event));

        assertTrue(json.path("status").isInt());
        assertEquals(422, json.path("status").asInt());
        assertEquals(12.5, json.path("duration_ms").asDouble());
        assertEquals(9_000_000_000L, json.path("bytes").asLong());
        assertTrue(json.path("replayed").isBoolean());
        assertEquals("NaN", json.path("ratio").asText());
        assertFalse(json.has("outcome"));
    }

    @Test
    void quotes_backslashes_and_control_characters_are_escaped_so_the_event_stays_on_one_line() throws Exception {
        String awkward = "say \"hi\"\\ then\nnext line\r\tand\u0001bell\u001f";
        LoggingEvent event = event(Level.WARN, awkward, null);
        event.addKeyValuePair(new KeyValuePair("path", awkward));

        String line = encode(event);
        JsonNode json = parse(line);

        assertEquals(1, line.split("\n").length);
        assertEquals(awkward, json.path("message").asText());
        assertEquals(awkward, json.path("path").asText());
    }

    @Test
    void an_exception_is_one_field_holding_the_whole_stack_trace() throws Exception {
        IllegalStateException error = new IllegalStateException("store down", new RuntimeException("timeout"));

        String line = encode(event(Level.ERROR, "failed", error));
        String exception = parse(line).path("exception").asText();

        assertEquals(1, line.split("\n").length);
        assertTrue(exception.startsWith("java.lang.IllegalStateException: store down"), exception);
        assertTrue(exception.contains("Caused by: java.lang.RuntimeException: timeout"), exception);
        assertTrue(exception.contains("JsonLogLinesTest"), exception);
    }

    @Test
    void mdc_entries_become_fields_and_neither_they_nor_pairs_override_the_fixed_fields() throws Exception {
        LoggingEvent event = event(Level.INFO, "the real message", null);
        event.setMDCPropertyMap(Map.of("request_id", "from-mdc", "tenant", "t1", "level", "FAKE"));
        event.addKeyValuePair(new KeyValuePair("request_id", "from-pair"));
        event.addKeyValuePair(new KeyValuePair("message", "forged"));

        // The strict parser fails on a field written twice.
        JsonNode json = parse(encode(event));

        assertEquals("from-pair", json.path("request_id").asText());
        assertEquals("t1", json.path("tenant").asText());
        assertEquals("INFO", json.path("level").asText());
        assertEquals("the real message", json.path("message").asText());
    }

    @Test
    void an_mdc_entry_stays_when_the_pair_of_the_same_name_has_no_value() throws Exception {
        LoggingEvent event = event(Level.INFO, "request", null);
        event.setMDCPropertyMap(Map.of("request_id", "from-mdc"));
        event.addKeyValuePair(new KeyValuePair("request_id", null));

        assertEquals("from-mdc", parse(encode(event)).path("request_id").asText());
    }

    @Test
    void the_fields_come_in_a_fixed_order_with_a_utc_timestamp_to_the_millisecond() throws Exception {
        LoggingEvent event = event(Level.INFO, "request", null);
        event.setInstant(Instant.parse("2026-11-28T20:46:33.573891Z"));
        event.setMDCPropertyMap(Map.of("tenant", "t1"));
        event.addKeyValuePair(new KeyValuePair("status", 200));

        String line = encode(event);

        assertTrue(line.startsWith("{\"timestamp\":\"2026-11-28T20:46:33.573Z\",\"level\":\"INFO\","
                + "\"logger\":\"dev.payhook.http.WebhookServer\",\"thread\":"), line);
        assertTrue(line.endsWith(",\"message\":\"request\",\"status\":200,\"tenant\":\"t1\"}\n"), line);
    }

    private LoggingEvent event(Level level, String message, Throwable error, Object... arguments) {
        return new LoggingEvent(Logger.class.getName(), logger, level, message, error, arguments);
    }

    private String encode(LoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String line) throws Exception {
        return STRICT.readTree(line);
    }
}
