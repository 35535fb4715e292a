package dev.payhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.Currency;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        assertEquals(new ServiceConfig.StoreConfig.InMemory(), config.store());
        assertEquals("simulated", config.gateway().name());
        assertEquals(Duration.ofSeconds(10), config.gateway().timeout());
        assertEquals(Duration.ZERO, config.gateway().simulation().latency());
        assertEquals("text", config.logFormat());
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
            "MAX_BODY_BYTES,0", "SIMULATED_DECLINE_RATE,-0.1", "DEFAULT_CURRENCY,dollars", "PORT,http"})
    void a_bad_value_is_refused(String variable, String value) {
        ConfigException error = assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of(variable, value)));

        assertEquals(1, error.problems().size(), error.problems()::toString);
        assertTrue(error.problems().getFirst().startsWith(variable + ": "));
    }

    @Test
    void the_lease_must_outlast_the_payment_timeout() {
        assertThrows(ConfigException.class, () -> ServiceConfig.from(Map.of("LEASE_TTL", "10s")));
        assertEquals(Duration.ofSeconds(11), ServiceConfig.from(Map.of("LEASE_TTL", "11s")).policy().leaseTtl());
    }

    @Test
    void simulation_settings_are_read() {
        ServiceConfig config = ServiceConfig.from(Map.of(
                "SIMULATED_LATENCY", "250ms", "SIMULATED_FAILURE_RATE", "0.25", "SIMULATED_DECLINE_RATE", "1"));

        assertEquals(Duration.ofMillis(250), config.gateway().simulation().latency());
        assertEquals(0.25, config.gateway().simulation().failureRate());
        assertEquals(1.0, config.gateway().simulation().declineRate());
    }
}
