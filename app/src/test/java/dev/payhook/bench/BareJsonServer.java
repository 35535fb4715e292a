package dev.payhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.util.Map;

/**
 * The ceiling for the in-memory mode of {@code scripts/benchmark.sh}: Javalin on virtual threads that parses
 * the webhook's JSON and answers JSON, with no store, no checks, no metrics and no logs.
 *
 * <p>Arguments: the port.
 */
public final class BareJsonServer {

    private BareJsonServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.post("/webhooks", ctx -> {
                JsonNode event = BenchJson.read(ctx.bodyAsBytes());
                BenchJson.answer(ctx, 200, Map.of("status", "success",
                        "transaction_id", "txn_" + event.get("amount").longValue()));
            });
            config.routes.get("/health/ready", ctx -> BenchJson.answer(ctx, 200, Map.of("status", "UP")));
        }).start(port);
    }
}
