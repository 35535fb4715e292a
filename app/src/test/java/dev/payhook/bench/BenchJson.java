package dev.payhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/** JSON in and out for the benchmark's reference servers, the plain way: one shared mapper, bytes both ways. */
final class BenchJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchJson() {
    }

    static JsonNode read(byte[] body) throws IOException {
        return JSON.readTree(body);
    }

    static void answer(Context ctx, int status, Map<String, Object> body) throws IOException {
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    }
}
