package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.http.AdminSettings;
import dev.payhook.payment.StripeSettings;
import dev.payhook.redis.RedisEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example environment files of deploy/env mean what their comments say, and start with their secrets. */
class EnvFilesTest {

    @Test
    void local_runs_in_memory_on_the_simulated_gateway_unsigned_and_without_admin_api_or_secrets() {
        EnvFile local = EnvFile.read("local.env");
        ServiceConfig config = ServiceConfig.from(local.settings());

        assertEquals(Map.of(), local.secretForms());
        assertInstanceOf(StoreConfig.InMemory.class, config.store());
        assertEquals("simulated", config.gateway().name());
        assertTrue(config.edge().signatures().isEmpty());
        assertEquals("false", local.settings().get("REQUIRE_SIGNATURES"));
        assertTrue(config.admin().isEmpty());
        assertEquals(Set.of(), startingWith("STRIPE_", local.settings().keySet()), "STRIPE_* with the simulated gateway");
        assertEquals(Set.of(), startingWith("REDIS_", local.settings().keySet()));
        assertEquals("text", config.logFormat());
    }

    @Test
    void staging_shares_one_redis_over_tls_charges_stripe_in_test_mode_and_requires_signatures() {
        EnvFile staging = EnvFile.read("staging.env");
        ServiceConfig config = ServiceConfig.from(staging.with(staging.madeUpSecrets()));

        StoreConfig.Redis store = assertInstanceOf(StoreConfig.Redis.class, config.store());
        RedisEndpoint.Standalone redis = assertInstanceOf(RedisEndpoint.Standalone.class, store.settings().endpoint());
        assertTrue(redis.tls() && redis.credentials().present(), redis.describe());
        assertTrue(config.edge().clusterRateLimit().isPresent());
        StripeSettings stripe = config.gateway().stripe().orElseThrow();
        assertEquals("stripe", config.gateway().name());
        assertFalse(StripeSettings.isLiveKey(stripe.apiKey()), "staging must not move real money");
        assertTrue(config.edge().signatures().isPresent());
        assertSignaturesRequired(staging);
        assertTrue(config.admin().isEmpty());
        assertEquals("json", config.logFormat());
    }

    @Test
    void production_uses_sentinel_stripe_live_with_a_saved_card_requires_signatures_and_opens_the_admin_api_on_loopback() {
        EnvFile production = EnvFile.read("production.env");
        ServiceConfig config = ServiceConfig.from(production.with(production.madeUpSecrets()));

        StoreConfig.Redis store = assertInstanceOf(StoreConfig.Redis.class, config.store());
        RedisEndpoint.Sentinel sentinel = assertInstanceOf(RedisEndpoint.Sentinel.class, store.settings().endpoint());
        assertEquals(3, sentinel.sentinels().addresses().size());
        assertTrue(sentinel.tls() && sentinel.credentials().present(), sentinel.describe());
        StripeSettings stripe = config.gateway().stripe().orElseThrow();
        assertTrue(StripeSettings.isLiveKey(stripe.apiKey()));
        assertTrue(stripe.customer().isPresent());
        assertFalse(stripe.paymentMethod().equals(StripeSettings.TEST_PAYMENT_METHOD));
        assertTrue(config.edge().signatures().isPresent());
        assertSignaturesRequired(production);
        AdminSettings admin = config.admin().orElseThrow();
        assertEquals("127.0.0.1", admin.bind());
        assertEquals(9091, admin.port());
        assertEquals("json", config.logFormat());
    }

    @Test
    void production_on_a_redis_cluster_needs_the_40s_lease_its_comment_names() {
        EnvFile production = EnvFile.read("production.env");
        Map<String, String> cluster = production.with(production.madeUpSecrets());
        cluster.remove("REDIS_SENTINELS");
        cluster.remove("REDIS_SENTINEL_MASTER");
        cluster.put("REDIS_CLUSTER_NODES", "10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000");

        ConfigException tooShort = assertThrows(ConfigException.class, () -> ServiceConfig.from(cluster));
        assertEquals(1, tooShort.problems().size(), tooShort::getMessage);
        assertTrue(tooShort.problems().getFirst().startsWith("LEASE_TTL: must be longer than 33000 ms"),
                tooShort::getMessage);
        assertTrue(production.lines().stream().anyMatch(line -> line.contains("use LEASE_TTL=40s")));
        cluster.put("LEASE_TTL", "40s");
        assertEquals(Duration.ofSeconds(40), ServiceConfig.from(cluster).policy().leaseTtl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging.env", "production.env"})
    void without_any_one_of_its_secrets_the_service_refuses_to_start_naming_it(String name) {
        EnvFile file = EnvFile.read(name);
        Map<String, String> secrets = file.madeUpSecrets();

        assertFalse(secrets.isEmpty());
        for (String missing : secrets.keySet()) {
            Map<String, String> others = new LinkedHashMap<>(secrets);
            others.remove(missing);
            ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(file.with(others)),
                    name + " starts without " + missing);
            assertTrue(error.problems().stream().anyMatch(problem -> problem.contains(missing)),
                    name + " without " + missing + ": " + error.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local.env", "staging.env", "production.env"})
    void every_variable_set_is_read_by_the_service_and_no_setting_holds_a_secret(String name) {
        EnvFile file = EnvFile.read(name);
        Env env = new Env(file.with(file.madeUpSecrets()));
        ServiceConfig.from(env);
        Map<String, Env.Reading> readings = env.readings().stream()
                .collect(Collectors.toMap(Env.Reading::name, reading -> reading));

        for (Map.Entry<String, String> setting : file.settings().entrySet()) {
            Env.Reading reading = readings.get(setting.getKey());
            assertTrue(reading != null, name + " sets " + setting.getKey() + ", which the service does not read");
            if (reading.secret()) {
                // Only a Redis address may stand in the file, and only without a password.
                assertTrue(setting.getKey().startsWith("REDIS_") && !setting.getValue().contains("@"),
                        name + " writes the secret " + setting.getKey() + " into the file");
            }
        }
        assertEquals(Set.of(), intersection(file.settings().keySet(), file.secretForms().keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local.env", "staging.env", "production.env"})
    void every_setting_stands_in_a_paragraph_with_a_comment_that_explains_it(String name) {
        List<List<String>> paragraphs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : EnvFile.read(name).lines()) {
            if (line.isBlank()) {
                paragraphs.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        paragraphs.add(current);

        for (List<String> paragraph : paragraphs) {
            boolean sets = paragraph.stream().anyMatch(line -> !line.startsWith("#"));
            boolean explains = paragraph.stream().anyMatch(line -> line.startsWith("# ") && line.length() > 20);
            assertTrue(!sets || explains, name + ": no comment explains " + paragraph);
        }
    }

    /** Signatures are required: the file says so, and without WEBHOOK_SECRETS the service will not start. */
    private static void assertSignaturesRequired(EnvFile file) {
        assertEquals("true", file.settings().get("REQUIRE_SIGNATURES"), file.name());
        Map<String, String> unsigned = file.with(file.madeUpSecrets());
        unsigned.remove("WEBHOOK_SECRETS");
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(unsigned));
        assertTrue(error.problems().stream().anyMatch(problem -> problem.startsWith("REQUIRE_SIGNATURES: ")),
                error::getMessage);
    }

    private static Set<String> startingWith(String prefix, Set<String> names) {
        return names.stream().filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
    }

    private static Set<String> intersection(Set<String> left, Set<String> right) {
        return left.stream().filter(right::contains).collect(Collectors.toSet());
    }
}
