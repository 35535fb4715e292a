package dev.payhook.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one flat JSON object on one line: {@code timestamp}, {@code level},
 * {@code logger}, {@code thread}, {@code message}, then the event's key-value pairs and MDC entries as
 * fields of their own, and {@code exception} with the stack trace when there is one.
 *
 * <p>Logback's own {@code JsonEncoder} nests key-value pairs in a list of one-field objects, turns every
 * value into a string (including {@code "null"}) and leaves the message unformatted, which makes the
 * fields awkward to query in a log store.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
        fields.put("level", event.getLevel().toString());
        fields.put("logger", event.getLoggerName());
        fields.put("thread", event.getThreadName());
        fields.put("message", event.getFormattedMessage());
        // The fixed fields above win over a pair of the same name, and pairs win over MDC entries.
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                if (pair.value != null) {
                    fields.putIfAbsent(pair.key, pair.value);
                }
            }
        }
        event.getMDCPropertyMap().forEach(fields::putIfAbsent);
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            fields.put("exception", ThrowableProxyUtil.asString(error));
        }

        StringBuilder line = new StringBuilder(256).append('{');
        fields.forEach((name, value) -> {
            if (line.length() > 1) {
                line.append(',');
            }
            appendString(line, name);
            line.append(':');
            appendValue(line, value);
        });
        return line.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    private static void appendValue(StringBuilder line, Object value) {
        boolean literal = value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof BigDecimal
                || value instanceof Double number && Double.isFinite(number)
                || value instanceof Float number && Float.isFinite(number);
        if (literal) {
            line.append(value);
        } else {
            appendString(line, String.valueOf(value));
        }
    }

    private static void appendString(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
