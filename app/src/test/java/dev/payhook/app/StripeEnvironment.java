package dev.payhook.app;

import dev.payhook.payment.fixtures.StripeStandIn;
import java.util.HashMap;
import java.util.Map;

/** The environment that points a service started by a test at a Stripe stand-in. */
final class StripeEnvironment {

    private StripeEnvironment() {
    }

    /** Stripe as the gateway, on {@code stripe}, plus {@code more} as name, value, name, value, …; modifiable. */
    static Map<String, String> of(StripeStandIn stripe, String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "PAYMENT_GATEWAY", "stripe",
                "STRIPE_API_KEY", StripeStandIn.API_KEY,
                "STRIPE_API_BASE", stripe.baseUrl().toString()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }
}
