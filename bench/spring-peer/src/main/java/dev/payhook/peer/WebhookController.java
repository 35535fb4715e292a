package dev.payhook.peer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original handler, as it was: look the key up, and if it is absent charge and set it. The GET and
 * the SET are two separate commands, so two concurrent deliveries can both pay; payhook exists to fix
 * that, and this peer keeps the flaw on purpose as the cost of a conventional implementation.
 */
@RestController
class WebhookController {

    private static final Duration SUCCESS_TTL = Duration.ofHours(24);

    private final StringRedisTemplate redis;

    WebhookController(StringRedisTemplate redis) {
        this.redis = redis;
    }

    record Event(@JsonProperty("event_id") String eventId, long amount) {
    }

    @PostMapping("/webhooks")
    Map<String, Object> receive(@RequestBody Event event) {
        String key = "webhook:" + event.eventId();
        if (redis.opsForValue().get(key) != null) {
            return Map.of("status", "already_processed", "event_id", event.eventId());
        }
        redis.opsForValue().set(key, "success", SUCCESS_TTL);
        return Map.of("status", "success", "transaction_id", "txn_" + event.amount());
    }

    @GetMapping("/health/ready")
    Map<String, Object> ready() {
        redis.execute((RedisCallback<String>) connection -> connection.ping());
        return Map.of("status", "UP");
    }
}
