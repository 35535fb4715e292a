package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.Currency;
import dev.payhook.domain.RateLimit;
import dev.payhook.http.ServerLimits;
import dev.payhook.http.SignatureSettings;
import dev.payhook.payment.CircuitBreakerSettings;
import dev.payhook.payment.StripeSettings;
import dev.payhook.redis.RedisAddress;
import dev.payhook.redis.RedisCredentials;
import dev.payhook.redis.RedisEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceConfigTest {

    @Test
    void no_variables_at_all_give_the_documented_defaults() {
        ServiceConfig config = ServiceConfig.from(Map.of());

        assertEquals(8080, config.http().port());
        assertEquals(65_536, config.http().maxBodyBytes());
        assertEquals(Currency.of("USD"), config.http().defaultCurrency());
        assertEquals(Duration.ofHours(24), config.policy().successTtl());
        assertEquals(Duration.ofHours(1), config.policy().failureTtl());
        assertEquals(Duration.ofSeconds(30), config.policy().leaseTtl());
        assertEquals(new StoreConfig.InMemory(100_000), config.store());
        assertEquals("simulated", config.gateway().name());
        assertEquals(Duration.ofSeconds(10), config.gateway().timeout());
        assertEquals(Duration.ZERO, config.gateway().simulation().latency());
        assertEquals("text", config.logFormat());
        assertEquals(Optional.empty(), config.edge().signatures());
        assertEquals(Optional.empty(), config.edge().instanceRateLimit());
        assertEquals(Optional.empty(), config.edge().clusterRateLimit());
        assertEquals(new ServerLimits(8_192, Duration.ofSeconds(30), 1_024), config.edge().serverLimits());
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "5m,PT5M", "24h,PT24H", "7d,PT168H", "2H,PT2H"})
    void durations_take_a_unit(String text, String expected) {
        assertEquals(Duration.parse(expected), ServiceConfig.from(Map.of("SUCCESS_TTL", text)).policy().successTtl());
    }

    @Test
    void every_problem_is_reported_at_once_naming_its_variable() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "SUCCESS_TTL", "banana",
                "LEASE_TTL", "1s",
                "PAYMENT_TIMEOUT", "10s",
                "PORT", "99999",
                "SIMULATED_FAILURE_RATE", "2",
                "PAYMENT_GATEWAY", "paypal",
                "LOG_FORMAT", "xml")));

        List<String> problems = error.problems();
        assertEquals(6, problems.size(), problems::toString);
        for (String variable : List.of("SUCCESS_TTL", "LEASE_TTL", "PORT", "SIMULATED_FAILURE_RATE", "PAYMENT_GATEWAY",
                "LOG_FORMAT")) {
            assertTrue(problems.stream().anyMatch(problem -> problem.startsWith(variable + ": ")), variable);
        }
        assertTrue(error.getMessage().contains("PAYMENT_TIMEOUT"));
    }

    @ParameterizedTest
    @CsvSource({"SUCCESS_TTL,0s", "FAILURE_TTL,-1h", "LEASE_TTL,30", "PAYMENT_TIMEOUT,1.5s", "SIMULATED_LATENCY,fast",
            "MAX_BODY_BYTES,0", "SIMULATED_DECLINE_RATE,-0.1", "DEFAULT_CURRENCY,dollars", "PORT,http",
            "SIGNATURE_TOLERANCE,0s", "REQUIRE_SIGNATURES,maybe", "RATE_LIMIT,fast", "RATE_LIMIT,0/s", "RATE_LIMIT,10/0s",
            "RATE_LIMIT,100", "CLUSTER_RATE_LIMIT,1000/s", "MAX_HEADER_BYTES,100", "HTTP_IDLE_TIMEOUT,0ms",
            "MIN_REQUEST_DATA_RATE,-1", "MEMORY_STORE_MAX_RECORDS,0", "RECONCILE_AFTER,0s",
            "PAYMENT_MAX_CONCURRENCY,0", "PAYMENT_MAX_CONCURRENCY,many"})
    void a_bad_value_is_refused(String variable, String value) {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(variable, value)));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith(variable + ": "));
    }

    @ParameterizedTest
    @CsvSource({"json,json", "JSON,json", "' json ',json", "text,text", "xml,text", "'',text"})
    void configuration_errors_are_reported_in_the_log_format_only_when_log_format_itself_is_valid(String value,
                                                                                                 String used) {
        assertEquals(used, ServiceConfig.logFormat(Map.of("LOG_FORMAT", value, "PORT", "not-a-port")));
    }

    @Test
    void a_configuration_error_summary_counts_the_problems() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("PORT", "x", "SUCCESS_TTL", "y")));

        assertEquals("Invalid configuration (2 problems)", error.summary());
        assertTrue(error.getMessage().startsWith(error.summary() + ":"), error.getMessage());
    }

    @Test
    void the_lease_must_outlast_a_lookup_and_a_charge_plus_a_margin_in_memory() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of("LEASE_TTL", "21s")));
        assertEquals(List.of("LEASE_TTL: must be longer than 21000 ms = 2 x PAYMENT_TIMEOUT 10000 ms (a lookup and a"
                + " charge) + 1000 ms margin; LEASE_TTL is 21000 ms"), error.problems());
        assertEquals(Duration.ofSeconds(22), ServiceConfig.from(Map.of("LEASE_TTL", "22s")).policy().leaseTtl());
    }

    @Test
    void on_redis_the_lease_must_also_outlast_a_claim_and_a_completion_at_their_worst() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "REDIS_URL", "redis://cache:6379", "LEASE_TTL", "23s", "REDIS_COMMAND_TIMEOUT", "1s")));
        assertEquals(List.of("LEASE_TTL: must be longer than 23000 ms = 2 x PAYMENT_TIMEOUT 10000 ms (a lookup and a"
                + " charge) + 2 x 1000 ms (claim and completion, each at most REDIS_COMMAND_TIMEOUT) + 1000 ms margin;"
                + " LEASE_TTL is 23000 ms"), error.problems());
        ServiceConfig.from(Map.of("REDIS_URL", "redis://cache:6379", "LEASE_TTL", "24s"));
    }

    @Test
    void on_a_cluster_the_lease_budget_counts_pool_waits_and_every_attempt_and_the_default_lease_fits_it() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "REDIS_CLUSTER_NODES", "a:7000,b:7000", "LEASE_TTL", "33s", "PAYMENT_TIMEOUT", "10s")));
        assertTrue(error.problems().getFirst().contains("33000 ms = 2 x PAYMENT_TIMEOUT 10000 ms (a lookup and a charge)"
                + " + 2 x 6000 ms"), error.problems()::toString);
        assertTrue(error.problems().getFirst().contains("(pool wait + REDIS_COMMAND_TIMEOUT) x 3 attempts"),
                error.problems()::toString);
        assertEquals(Duration.ofSeconds(40),
                ServiceConfig.from(Map.of("REDIS_CLUSTER_NODES", "a:7000,b:7000")).policy().leaseTtl());
    }

    @Test
    void unknown_outcomes_are_reconciled_after_a_minute_unless_configured() {
        assertEquals(Duration.ofMinutes(1), ServiceConfig.from(Map.of()).policy().reconcileAfter());
        assertEquals(Duration.ofSeconds(2), ServiceConfig.from(Map.of("RECONCILE_AFTER", "2s")).policy().reconcileAfter());
    }

    @Test
    void the_in_memory_store_takes_a_bound_on_its_records() {
        assertEquals(new StoreConfig.InMemory(500), ServiceConfig.from(Map.of("MEMORY_STORE_MAX_RECORDS", "500")).store());
    }

    @Test
    void simulation_settings_are_read() {
        ServiceConfig config = ServiceConfig.from(Map.of(
                "SIMULATED_LATENCY", "250ms", "SIMULATED_FAILURE_RATE", "0.25", "SIMULATED_DECLINE_RATE", "1"));

        assertEquals(Duration.ofMillis(250), config.gateway().simulation().latency());
        assertEquals(0.25, config.gateway().simulation().failureRate());
        assertEquals(1.0, config.gateway().simulation().declineRate());
    }

    private static final String TEST_KEY = "sk_test_51ConfigTestKey";

    @Test
    void stripe_is_selected_with_its_api_key_and_charges_stripe_test_card_at_stripe_by_default() {
        ServiceConfig config = ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY,
                "PAYMENT_TIMEOUT", "4s"));

        assertEquals("stripe", config.gateway().name());
        StripeSettings stripe = config.gateway().stripe().orElseThrow();
        assertEquals(TEST_KEY, stripe.apiKey());
        assertEquals(URI.create("https://api.stripe.com"), stripe.apiBase());
        assertEquals("pm_card_visa", stripe.paymentMethod());
        assertEquals(Optional.empty(), stripe.customer());
        assertEquals(Duration.ofSeconds(4), stripe.timeout());
        assertEquals("webhook:", stripe.idempotencyPrefix());
        assertEquals(25, config.gateway().maxConcurrency());
    }

    @Test
    void stripe_settings_are_read() {
        StripeSettings stripe = ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "Stripe", "STRIPE_API_KEY", TEST_KEY,
                        "STRIPE_API_BASE", "http://127.0.0.1:12111", "STRIPE_PAYMENT_METHOD", "pm_saved",
                        "STRIPE_CUSTOMER", "cus_42", "STRIPE_SEARCH_LAG", "15m"))
                .gateway().stripe().orElseThrow();

        assertEquals(URI.create("http://127.0.0.1:12111"), stripe.apiBase());
        assertEquals("pm_saved", stripe.paymentMethod());
        assertEquals(Optional.of("cus_42"), stripe.customer());
        assertEquals(Duration.ofMinutes(15), stripe.searchLag());
    }

    @Test
    void stripe_search_lag_defaults_to_five_minutes_and_a_bad_one_is_named() {
        StripeSettings stripe = ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY))
                .gateway().stripe().orElseThrow();
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY, "STRIPE_SEARCH_LAG", "soon")));

        assertEquals(Duration.ofMinutes(5), stripe.searchLag());
        assertEquals(1, error.problems().size());
        assertTrue(error.problems().getFirst().startsWith("STRIPE_SEARCH_LAG: "), error.problems()::toString);
    }

    @Test
    void stripe_variables_are_not_needed_by_other_gateways() {
        assertEquals(Optional.empty(), ServiceConfig.from(Map.of()).gateway().stripe());
    }

    @Test
    void stripe_without_an_api_key_is_a_problem() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "stripe")));

        assertEquals(List.of("STRIPE_API_KEY: must be set when PAYMENT_GATEWAY is stripe"), error.problems());
    }

    @ParameterizedTest
    @CsvSource({"pk_test_51PublishableKey", "sk_test_51Key with spaces", "whsec_51WebhookSecret"})
    void a_value_that_is_not_a_secret_key_is_refused_without_being_shown(String value) {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", value)));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith("STRIPE_API_KEY: "));
        assertFalse(error.getMessage().contains(value.substring(8)), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"sk_live_51SecretLiveKey", "rk_live_51SecretLiveKey"})
    void a_live_key_must_name_the_customer_and_the_saved_payment_method_to_charge(String liveKey) {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", liveKey)));

        assertEquals(2, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().get(0).startsWith("STRIPE_PAYMENT_METHOD: must name a real payment method when"
                + " STRIPE_API_KEY is a live key"), error.problems()::toString);
        assertTrue(error.problems().get(1).startsWith("STRIPE_CUSTOMER: must be set when STRIPE_API_KEY is a"
                + " live key"), error.problems()::toString);
        assertFalse(error.getMessage().contains("SecretLiveKey"), error.getMessage());
        StripeSettings live = ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", liveKey,
                "STRIPE_PAYMENT_METHOD", "pm_live", "STRIPE_CUSTOMER", "cus_live")).gateway().stripe().orElseThrow();
        assertEquals("pm_live", live.paymentMethod());
        assertEquals(Optional.of("cus_live"), live.customer());
    }

    @Test
    void a_live_key_missing_only_the_customer_names_only_the_customer() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", "sk_live_51SecretLiveKey",
                "STRIPE_PAYMENT_METHOD", "pm_live")));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith("STRIPE_CUSTOMER: "), error.problems()::toString);
    }

    @Test
    void a_test_key_needs_neither_customer_nor_payment_method() {
        assertEquals(Optional.empty(), ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY))
                .gateway().stripe().orElseThrow().customer());
    }

    @Test
    void stripe_variables_with_the_simulated_gateway_are_refused_naming_both_without_their_values() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "STRIPE_API_KEY", "sk_live_51SecretLiveKey", "STRIPE_CUSTOMER", "cus_42")));

        assertEquals(List.of(
                "STRIPE_API_KEY: set while PAYMENT_GATEWAY is simulated, which moves no money; set"
                        + " PAYMENT_GATEWAY=stripe to charge through Stripe, or unset STRIPE_API_KEY",
                "STRIPE_CUSTOMER: set while PAYMENT_GATEWAY is simulated, which moves no money; set"
                        + " PAYMENT_GATEWAY=stripe to charge through Stripe, or unset STRIPE_CUSTOMER"),
                error.problems());
        assertFalse(error.getMessage().contains("SecretLiveKey"), error.getMessage());
        assertFalse(error.getMessage().contains("cus_42"), error.getMessage());
    }

    @Test
    void a_stripe_variable_is_refused_with_an_explicitly_simulated_gateway_too() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "PAYMENT_GATEWAY", "Simulated", "STRIPE_IDEMPOTENCY_PREFIX", "blue:")));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith("STRIPE_IDEMPOTENCY_PREFIX: set while PAYMENT_GATEWAY is"
                + " simulated"), error.problems()::toString);
    }

    @Test
    void blank_stripe_variables_do_not_count_as_set() {
        assertEquals("simulated", ServiceConfig.from(Map.of("STRIPE_API_KEY", " ")).gateway().name());
    }

    @Test
    void the_stripe_idempotency_prefix_follows_the_store_key_prefix_unless_set() {
        Map<String, String> stripe = Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY);

        assertEquals("blue:", stripeWith(stripe, Map.of("IDEMPOTENCY_KEY_PREFIX", "blue:")).idempotencyPrefix());
        assertEquals("green-", stripeWith(stripe, Map.of("IDEMPOTENCY_KEY_PREFIX", "blue:",
                "STRIPE_IDEMPOTENCY_PREFIX", "green-")).idempotencyPrefix());
    }

    private static StripeSettings stripeWith(Map<String, String> base, Map<String, String> more) {
        Map<String, String> variables = new java.util.HashMap<>(base);
        variables.putAll(more);
        return ServiceConfig.from(variables).gateway().stripe().orElseThrow();
    }

    @ParameterizedTest
    @CsvSource(value = {"STRIPE_IDEMPOTENCY_PREFIX|has space", "STRIPE_IDEMPOTENCY_PREFIX|é:",
            "IDEMPOTENCY_KEY_PREFIX|has space"}, delimiter = '|')
    void an_idempotency_prefix_stripe_cannot_take_is_refused(String variable, String value) {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY, variable, value)));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith("STRIPE_IDEMPOTENCY_PREFIX: "), error.problems()::toString);
    }

    @Test
    void the_payment_bulkhead_is_sized_for_the_gateway_unless_set() {
        assertEquals(10_000, ServiceConfig.from(Map.of()).gateway().maxConcurrency());
        assertEquals(25, ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY))
                .gateway().maxConcurrency());
        assertEquals(80, ServiceConfig.from(Map.of("PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY,
                "PAYMENT_MAX_CONCURRENCY", "80")).gateway().maxConcurrency());
    }

    @ParameterizedTest
    @CsvSource({"ftp://api.stripe.com", "api.stripe.com", "https://", "https://proxy:hunter2@proxy.example",
            "https://api.stripe.com?x=1"})
    void an_api_base_that_is_not_a_plain_http_url_is_refused_without_being_shown(String value) {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "PAYMENT_GATEWAY", "stripe", "STRIPE_API_KEY", TEST_KEY, "STRIPE_API_BASE", value)));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith("STRIPE_API_BASE: "));
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    void the_circuit_breaker_has_documented_defaults() {
        assertEquals(new CircuitBreakerSettings(0.5, 20, 10, Duration.ofSeconds(30), 3),
                ServiceConfig.from(Map.of()).gateway().breaker());
    }

    @Test
    void circuit_breaker_settings_are_read() {
        ServiceConfig config = ServiceConfig.from(Map.of("PAYMENT_BREAKER_FAILURE_RATE", "1",
                "PAYMENT_BREAKER_WINDOW", "5", "PAYMENT_BREAKER_MIN_CALLS", "3",
                "PAYMENT_BREAKER_OPEN_DURATION", "2m", "PAYMENT_BREAKER_HALF_OPEN_CALLS", "1"));

        assertEquals(new CircuitBreakerSettings(1, 5, 3, Duration.ofMinutes(2), 1), config.gateway().breaker());
    }

    @ParameterizedTest
    @CsvSource({"PAYMENT_BREAKER_FAILURE_RATE,0", "PAYMENT_BREAKER_FAILURE_RATE,50%", "PAYMENT_BREAKER_WINDOW,0",
            "PAYMENT_BREAKER_MIN_CALLS,21", "PAYMENT_BREAKER_OPEN_DURATION,0s", "PAYMENT_BREAKER_HALF_OPEN_CALLS,0"})
    void a_bad_circuit_breaker_value_is_refused(String variable, String value) {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(variable, value)));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith(variable + ": "), error.problems()::toString);
    }

    @Test
    void webhook_secrets_are_read_from_a_comma_or_space_separated_list_with_the_tolerance() {
        String first = StandardSender.newSecret();
        String second = StandardSender.newSecret();

        ServiceConfig config = ServiceConfig.from(Map.of(
                "WEBHOOK_SECRETS", first + ", " + second, "SIGNATURE_TOLERANCE", "2m", "REQUIRE_SIGNATURES", "true"));

        SignatureSettings signatures = config.edge().signatures().orElseThrow();
        assertEquals(2, signatures.secrets().size());
        assertEquals(Duration.ofMinutes(2), signatures.tolerance());
        assertEquals(3, ServiceConfig.from(Map.of("WEBHOOK_SECRETS", first + " " + second + "\n" + first))
                .edge().signatures().orElseThrow().secrets().size());
    }

    @Test
    void requiring_signatures_without_secrets_is_refused() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("REQUIRE_SIGNATURES", "true")));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith("REQUIRE_SIGNATURES: "));
        assertTrue(error.problems().getFirst().contains("WEBHOOK_SECRETS"));
    }

    @Test
    void each_malformed_secret_is_reported_by_position_without_its_value() {
        String good = StandardSender.newSecret();
        String unprefixed = SecretLeaks.keyOf(StandardSender.newSecret());
        String notBase64 = "whsec_Th1s!s#n0t%base64&at@all";
        String tooShort = "whsec_" + Base64.getEncoder().encodeToString("sixteen bytes ok".getBytes());

        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "WEBHOOK_SECRETS", String.join(",", good, unprefixed, notBase64, tooShort), "PORT", "nope")));

        assertEquals(4, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().contains("WEBHOOK_SECRETS: secret 2 of 4 does not start with whsec_"),
                error.problems()::toString);
        assertTrue(error.problems().contains("WEBHOOK_SECRETS: secret 3 of 4 is not base64 after whsec_"),
                error.problems()::toString);
        assertTrue(error.problems().stream().anyMatch(p -> p.startsWith("WEBHOOK_SECRETS: secret 4 of 4 holds 16 ")));
        for (String secret : List.of(good, unprefixed, notBase64, tooShort)) {
            SecretLeaks.assertAbsent(SecretLeaks.keyOf(secret), Map.of("the configuration error", error.getMessage()));
        }
    }

    @ParameterizedTest
    @CsvSource({"100/s,100,PT1S", "6000/1m,6000,PT1M", "5/500ms,5,PT0.5S", "'20 / 1h',20,PT1H", "1/7d,1,PT168H"})
    void the_rate_limit_is_a_count_per_duration(String text, long requests, String period) {
        assertEquals(Optional.of(new RateLimit(requests, Duration.parse(period))),
                ServiceConfig.from(Map.of("RATE_LIMIT", text)).edge().instanceRateLimit());
    }

    @Test
    void a_cluster_wide_rate_limit_needs_redis_rather_than_being_silently_ignored() {
        ConfigException withoutRedis = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("CLUSTER_RATE_LIMIT", "1000/s")));
        ServiceConfig withRedis = ServiceConfig.from(
                Map.of("CLUSTER_RATE_LIMIT", "1000/s", "REDIS_URL", "redis://127.0.0.1:6379"));

        assertEquals(List.of("CLUSTER_RATE_LIMIT"), withoutRedis.problems().stream()
                .map(problem -> problem.substring(0, problem.indexOf(':'))).toList());
        assertTrue(withoutRedis.problems().getFirst().startsWith("CLUSTER_RATE_LIMIT: needs Redis"));
        assertEquals(Optional.of(new RateLimit(1000, Duration.ofSeconds(1))), withRedis.edge().clusterRateLimit());
    }

    @Test
    void server_limits_are_read() {
        ServiceConfig config = ServiceConfig.from(Map.of(
                "MAX_HEADER_BYTES", "16384", "HTTP_IDLE_TIMEOUT", "10s", "MIN_REQUEST_DATA_RATE", "0"));

        assertEquals(new ServerLimits(16_384, Duration.ofSeconds(10), 0), config.edge().serverLimits());
    }

    private static final String ADMIN_TOKEN = "a-long-enough-admin-token-0123456789";

    @Test
    void the_admin_api_is_off_by_default_and_on_with_a_port_and_a_token_bound_to_loopback() {
        assertEquals(Optional.empty(), ServiceConfig.from(Map.of()).admin());

        var admin = ServiceConfig.from(Map.of("ADMIN_PORT", "9090", "ADMIN_TOKEN", ADMIN_TOKEN)).admin().orElseThrow();

        assertEquals(9090, admin.port());
        assertEquals("127.0.0.1", admin.bind());
        assertFalse(admin.toString().contains(ADMIN_TOKEN));
    }

    @Test
    void admin_settings_that_cannot_work_are_each_named_and_the_token_is_never_shown() {
        String shortToken = "Short-Secret-9";
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("ADMIN_PORT", "9090")));
        ConfigException tooShort = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("ADMIN_PORT", "8080", "ADMIN_TOKEN", shortToken)));
        ConfigException withoutPort = assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("ADMIN_TOKEN", ADMIN_TOKEN)));

        assertEquals(List.of("ADMIN_TOKEN: must be set when ADMIN_PORT is set: every admin request must carry it"),
                missing.problems());
        assertEquals(2, tooShort.problems().size(), tooShort.problems()::toString);
        assertTrue(tooShort.getMessage().contains("ADMIN_PORT: must differ from PORT (8080)"));
        assertTrue(tooShort.getMessage().contains("ADMIN_TOKEN: must have at least 32 characters (it has 14)"));
        assertFalse(tooShort.getMessage().contains(shortToken));
        assertTrue(withoutPort.problems().getFirst().startsWith("ADMIN_TOKEN: is set but ADMIN_PORT is not"));
        assertFalse(withoutPort.getMessage().contains(ADMIN_TOKEN));
    }

    @Test
    void sentinels_and_a_master_name_select_redis_sentinel_with_separate_credentials() {
        StoreConfig store = ServiceConfig.from(Map.of(
                "REDIS_SENTINELS", "redis://:Watch-Pa55@10.0.0.1:26379,redis://:Watch-Pa55@10.0.0.2",
                "REDIS_SENTINEL_MASTER", "rediss://app:Data-Pa55@mymaster/2",
                "REDIS_COMMAND_TIMEOUT", "500ms")).store();

        StoreConfig.Redis redis = assertInstanceOf(StoreConfig.Redis.class, store);
        RedisEndpoint.Sentinel sentinel = assertInstanceOf(RedisEndpoint.Sentinel.class, redis.settings().endpoint());
        assertEquals("redis-sentinel", redis.label());
        assertEquals(new RedisEndpoint.SentinelMaster("mymaster", 2, true,
                new RedisCredentials(Optional.of("app"), Optional.of("Data-Pa55"))), sentinel.master());
        assertEquals(List.of(new RedisAddress("10.0.0.1", 26379), new RedisAddress("10.0.0.2", 26379)),
                sentinel.sentinels().addresses());
        assertEquals(Optional.of("Watch-Pa55"), sentinel.sentinels().credentials().password());
        assertEquals(Duration.ofMillis(500), redis.settings().commandTimeout());
    }

    @Test
    void sentinels_exclude_redis_url_and_cluster_nodes_and_each_conflict_is_named() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "REDIS_SENTINELS", "127.0.0.1:26379", "REDIS_SENTINEL_MASTER", "mymaster",
                "REDIS_URL", "redis://:Url-Pa55@127.0.0.1:6379",
                "REDIS_CLUSTER_NODES", "redis://:Cluster-Pa55@127.0.0.1:7000")));

        assertEquals(List.of("REDIS_URL: set either REDIS_URL or REDIS_CLUSTER_NODES, not both",
                "REDIS_SENTINELS: set either REDIS_SENTINELS or REDIS_URL, not both",
                "REDIS_SENTINELS: set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both"), error.problems());
        assertEquals(List.of("REDIS_SENTINELS: set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both"),
                assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of("REDIS_SENTINELS", "s1",
                        "REDIS_SENTINEL_MASTER", "mymaster", "REDIS_CLUSTER_NODES", "n1:7000"))).problems());
        assertEquals(List.of("REDIS_SENTINEL_MASTER"), variablesOf(assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("REDIS_SENTINEL_MASTER", "mymaster", "REDIS_URL", "redis://h")))));
    }

    @Test
    void sentinels_and_master_name_need_each_other() {
        assertEquals(List.of("REDIS_SENTINEL_MASTER"), variablesOf(assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("REDIS_SENTINELS", "s1:26379")))));
        assertEquals(List.of("REDIS_SENTINELS"), variablesOf(assertThrows(ConfigException.class,
                () -> ServiceConfig.from(Map.of("REDIS_SENTINEL_MASTER", "mymaster")))));
    }

    @Test
    void bad_sentinels_and_a_bad_master_are_both_reported_without_their_passwords() {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(
                "REDIS_SENTINELS", "redis://:Watch-Pa55@s1:26379/4",
                "REDIS_SENTINEL_MASTER", "redis://:Data-Pa55@mymaster:6379",
                "CLUSTER_RATE_LIMIT", "10/s")));

        assertEquals(List.of("REDIS_SENTINELS", "REDIS_SENTINEL_MASTER", "CLUSTER_RATE_LIMIT"), variablesOf(error));
        assertFalse(error.getMessage().contains("Watch-Pa55"), error.getMessage());
        assertFalse(error.getMessage().contains("Data-Pa55"), error.getMessage());
    }

    @Test
    void a_cluster_wide_rate_limit_is_shared_through_sentinel_redis_too() {
        assertEquals(Optional.of(new RateLimit(10, Duration.ofSeconds(1))), ServiceConfig.from(Map.of(
                "CLUSTER_RATE_LIMIT", "10/s", "REDIS_SENTINELS", "s1", "REDIS_SENTINEL_MASTER", "mymaster"))
                .edge().clusterRateLimit());
    }

    private static List<String> variablesOf(ConfigException error) {
        return error.problems().stream().map(problem -> problem.substring(0, problem.indexOf(':'))).toList();
    }
}
