package dev.payhook.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.logstash.logback.composite.AbstractJsonProvider;
import org.slf4j.event.KeyValuePair;

/**
 * Writes MDC entries as top-level JSON fields, leaving out the excluded names and every name that one of
 * the event's key-value pairs also has (with a value). The stock MDC provider would write such a name a
 * second time, and log stores refuse or mangle an object with a field twice; the pair, written by its own
 * provider, wins.
 */
public final class UnpairedMdcJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

    private final Set<String> excluded = new HashSet<>();

    public void addExcludeMdcKeyName(String name) {
        excluded.add(name);
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        Map<String, String> entries = event.getMDCPropertyMap();
        if (entries == null || entries.isEmpty()) {
            return;
        }
        Set<String> paired = new HashSet<>();
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                if (pair.value != null) {
                    paired.add(pair.key);
                }
            }
        }
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (name != null && entry.getValue() != null && !excluded.contains(name) && !paired.contains(name)) {
                generator.writeStringField(name, entry.getValue());
            }
        }
    }
}
