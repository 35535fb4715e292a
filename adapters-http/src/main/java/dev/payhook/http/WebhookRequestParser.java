package dev.payhook.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.payhook.domain.Currency;
import dev.payhook.domain.EventId;
import dev.payhook.domain.InvalidEventException;
import dev.payhook.domain.PaymentEvent;
import java.io.IOException;
import java.util.Objects;

/**
 * Turns a request body into a {@link PaymentEvent}, or refuses it naming the field at fault. Strict
 * where ambiguity could move money: integers only, no duplicate keys, no trailing content, bounded
 * nesting and literal sizes. Unknown fields are ignored.
 */
final class WebhookRequestParser {

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxNumberLength(32)
                            .maxStringLength(16_384)
                            .maxNameLength(1_024)
                            .build())
                    // The default pool keeps buffers per thread, which virtual threads never reuse.
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Currency defaultCurrency;

    WebhookRequestParser(Currency defaultCurrency) {
        this.defaultCurrency = Objects.requireNonNull(defaultCurrency, "defaultCurrency");
    }

    /**
     * @param body           the raw request body
     * @param headerEventId  the {@code webhook-id} header, or null; it may stand in for {@code event_id}
     */
    PaymentEvent parse(byte[] body, String headerEventId) {
        JsonNode root = readTree(body);
        if (!root.isObject()) {
            throw RequestRejected.malformed("the body must be a JSON object");
        }
        EventId eventId;
        try {
            eventId = eventId(root, headerEventId);
        } catch (InvalidEventException e) {
            throw RequestRejected.invalidField(e.field(), e.field() + " " + e.reason());
        }
        // From here on the event id is readable: a refusal names it, so the sender can tell which event failed.
        try {
            return new PaymentEvent(eventId, amount(root), currency(root));
        } catch (InvalidEventException e) {
            throw RequestRejected.invalidField(e.field(), e.field() + " " + e.reason()).forEvent(eventId);
        } catch (RequestRejected e) {
            throw e.forEvent(eventId);
        }
    }

    private static JsonNode readTree(byte[] body) {
        if (body.length == 0) {
            throw RequestRejected.malformed("the body is empty; expected a JSON object");
        }
        try (JsonParser parser = JSON.createParser(body)) {
            JsonNode root = JSON.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw RequestRejected.malformed("the body is empty; expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw RequestRejected.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RequestRejected.malformed("the body could not be read");
        }
    }

    private static EventId eventId(JsonNode root, String headerEventId) {
        JsonNode node = root.get("event_id");
        if (node == null || node.isNull()) {
            if (headerEventId == null) {
                throw RequestRejected.invalidField("event_id", "event_id is required");
            }
            return new EventId(headerEventId);
        }
        if (!node.isTextual()) {
            throw RequestRejected.invalidField("event_id", "event_id must be a string");
        }
        EventId fromBody = new EventId(node.textValue());
        if (headerEventId != null && !headerEventId.equals(fromBody.value())) {
            throw RequestRejected.invalidField("event_id", "event_id does not match the webhook-id header");
        }
        return fromBody;
    }

    private static long amount(JsonNode root) {
        JsonNode node = root.get("amount");
        if (node == null || node.isNull()) {
            throw RequestRejected.invalidField("amount", "amount is required");
        }
        if (!node.isIntegralNumber()) {
            throw RequestRejected.invalidField("amount", "amount must be an integer number of minor units");
        }
        if (!node.canConvertToLong()) {
            throw RequestRejected.invalidField("amount", "amount must fit in a signed 64-bit integer");
        }
        return node.longValue();
    }

    private Currency currency(JsonNode root) {
        JsonNode node = root.get("currency");
        if (node == null || node.isNull()) {
            return defaultCurrency;
        }
        if (!node.isTextual()) {
            throw RequestRejected.invalidField("currency", "currency must be a string");
        }
        return Currency.of(node.textValue());
    }
}
