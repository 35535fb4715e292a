package dev.payhook.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisEndpointTest {

    @Test
    void a_plain_url_defaults_to_port_6379_database_0_no_tls_no_auth() {
        RedisEndpoint.Standalone endpoint = RedisEndpoint.fromUrl("redis://cache.internal");

        assertEquals(new RedisAddress("cache.internal", 6379), endpoint.address());
        assertEquals(0, endpoint.database());
        assertFalse(endpoint.tls());
        assertEquals(RedisCredentials.NONE, endpoint.credentials());
    }

    @Test
    void rediss_means_tls_and_user_password_and_database_come_from_the_url() {
        RedisEndpoint.Standalone endpoint = RedisEndpoint.fromUrl("rediss://app:p%40ss%3Aword@redis.example:6380/3");

        assertTrue(endpoint.tls());
        assertEquals(new RedisAddress("redis.example", 6380), endpoint.address());
        assertEquals(3, endpoint.database());
        assertEquals(new RedisCredentials(Optional.of("app"), Optional.of("p@ss:word")), endpoint.credentials());
    }

    @Test
    void a_password_without_a_user_is_accepted_in_both_forms() {
        assertEquals(Optional.of("secret"), RedisEndpoint.fromUrl("redis://:secret@h:1").credentials().password());
        assertEquals(Optional.of("secret"), RedisEndpoint.fromUrl("redis://secret@h:1").credentials().password());
    }

    @Test
    void descriptions_and_string_forms_never_show_the_password() {
        RedisEndpoint.Standalone endpoint = RedisEndpoint.fromUrl("redis://app:TopSecret1@h:1/2");

        assertFalse(endpoint.describe().contains("TopSecret1"));
        assertFalse(endpoint.toString().contains("TopSecret1"));
        assertTrue(endpoint.describe().contains("h:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h:1", "h:6379", "redis://", "redis://h:1/db", "redis://user:TopSecret1@h:1/x",
            "redis://user:TopSecret1@h:99999", "::::"})
    void a_bad_url_is_refused_without_repeating_it(String url) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.fromUrl(url));

        assertFalse(error.getMessage().contains("TopSecret1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://app:Top@Secret1@cache:6379", "redis://:Top@Secret1@cache:6379/0",
            "rediss://Top@Secret1@cache", "redis://app:Top@Secret1@cache:6379/x"})
    void an_unencoded_at_sign_in_the_password_is_named_as_the_cause_without_showing_the_password(String url) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.fromUrl(url));

        assertEquals("the password seems to contain '@'; percent-encode it as %40 (expected"
                + " redis://user:password@host:port)", error.getMessage());
        assertFalse(error.getMessage().contains("Secret1"));
    }

    @ParameterizedTest
    @CsvSource({"redis://app:Top/Secret1@cache:6379,'/',%2F", "redis://:Top?Secret1@cache,'?',%3F",
            "redis://:Top#Secret1@cache:6379/0,'#',%23"})
    void other_characters_that_end_a_password_early_are_named_too(String url, char character, String encoded) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.fromUrl(url));

        assertTrue(error.getMessage().startsWith("the password seems to contain '" + character
                + "'; percent-encode it as " + encoded), error.getMessage());
        assertFalse(error.getMessage().contains("Secret1"));
    }

    @Test
    void cluster_nodes_sentinels_and_a_master_url_name_an_unencoded_at_sign_too() {
        Map<String, Executable> parses = Map.of(
                "cluster nodes", () -> RedisEndpoint.fromClusterNodes("a:7000,redis://:Top@Secret1@b:7000"),
                "sentinels", () -> RedisEndpoint.fromSentinelNodes("rediss://:Top@Secret1@s1:26379,s2"),
                "master", () -> RedisEndpoint.fromSentinelMaster("rediss://app:Top@Secret1@mymaster/0"));

        parses.forEach((form, parse) -> {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, parse, form);
            assertTrue(error.getMessage().startsWith("the password seems to contain '@'; percent-encode it as %40"),
                    form + ": " + error.getMessage());
            assertFalse(error.getMessage().contains("Secret1"), form);
        });
    }

    @Test
    void a_percent_encoded_at_sign_is_part_of_the_password() {
        assertEquals(Optional.of("Top@Secret1"),
                RedisEndpoint.fromUrl("redis://app:Top%40Secret1@cache:6379").credentials().password());
        assertEquals(Optional.of("Top@Secret1"),
                RedisEndpoint.fromSentinelNodes("redis://:Top%40Secret1@s1").credentials().password());
    }

    @Test
    void cluster_nodes_are_a_comma_separated_list_of_addresses_or_urls() {
        RedisEndpoint.Cluster plain = RedisEndpoint.fromClusterNodes("10.0.0.1:7000, 10.0.0.2:7001,10.0.0.3");
        RedisEndpoint.Cluster secured = RedisEndpoint.fromClusterNodes("rediss://:pw@a:7000,rediss://:pw@b:7000");

        assertEquals(List.of(new RedisAddress("10.0.0.1", 7000), new RedisAddress("10.0.0.2", 7001),
                new RedisAddress("10.0.0.3", 6379)), plain.seeds());
        assertFalse(plain.tls());
        assertTrue(secured.tls());
        assertEquals(Optional.of("pw"), secured.credentials().password());
    }

    @Test
    void cluster_nodes_must_agree_on_tls_and_credentials_and_use_database_0() {
        assertThrows(IllegalArgumentException.class,
                () -> RedisEndpoint.fromClusterNodes("rediss://:pw@a:7000,redis://:pw@b:7000"));
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.fromClusterNodes("redis://a:7000/1"));
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.fromClusterNodes(" , "));
    }

    @Test
    void a_bare_master_name_means_no_tls_no_auth_and_database_0() {
        RedisEndpoint.SentinelMaster master = RedisEndpoint.fromSentinelMaster(" mymaster ");

        assertEquals(new RedisEndpoint.SentinelMaster("mymaster", 0, false, RedisCredentials.NONE), master);
    }

    @Test
    void a_master_url_carries_the_data_nodes_tls_credentials_and_database_with_the_name_as_host() {
        RedisEndpoint.SentinelMaster master = RedisEndpoint.fromSentinelMaster("rediss://app:p%40ss@pay_master.eu-1/3");

        assertEquals("pay_master.eu-1", master.name());
        assertEquals(3, master.database());
        assertTrue(master.tls());
        assertEquals(new RedisCredentials(Optional.of("app"), Optional.of("p@ss")), master.credentials());
        assertEquals(Optional.of("secret"),
                RedisEndpoint.fromSentinelMaster("redis://:secret@mymaster").credentials().password());
    }

    @ParameterizedTest
    @ValueSource(strings = {"my master", "redis://:TopSecret1@mymaster:6379", "redis://:TopSecret1@", "http://mymaster",
            "redis://:TopSecret1@mymaster/x", "redis://:TopSecret1@my*master", "redis://:TopSecret1@mymaster?db=1", ""})
    void a_bad_master_is_refused_without_repeating_it(String master) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RedisEndpoint.fromSentinelMaster(master));

        assertFalse(error.getMessage().contains("TopSecret1"));
    }

    @Test
    void sentinels_are_addresses_on_port_26379_by_default_or_urls_with_their_own_tls_and_credentials() {
        RedisEndpoint.SentinelNodes plain = RedisEndpoint.fromSentinelNodes("10.0.0.1, 10.0.0.2:26380 ,10.0.0.3:5000");
        RedisEndpoint.SentinelNodes secured = RedisEndpoint.fromSentinelNodes(
                "rediss://watch:pw@s1:26379,rediss://watch:pw@s2,s3:26379");

        assertEquals(List.of(new RedisAddress("10.0.0.1", 26379), new RedisAddress("10.0.0.2", 26380),
                new RedisAddress("10.0.0.3", 5000)), plain.addresses());
        assertFalse(plain.tls());
        assertEquals(RedisCredentials.NONE, plain.credentials());
        assertEquals(List.of(new RedisAddress("s1", 26379), new RedisAddress("s2", 26379), new RedisAddress("s3", 26379)),
                secured.addresses());
        assertTrue(secured.tls());
        assertEquals(new RedisCredentials(Optional.of("watch"), Optional.of("pw")), secured.credentials());
    }

    @ParameterizedTest
    @ValueSource(strings = {" , ", "redis://:TopSecret1@s1:26379/1", "rediss://:TopSecret1@s1,redis://:TopSecret1@s2",
            "redis://:TopSecret1@s1,redis://:TopSecret2@s2", "http://:TopSecret1@s1", "s1:99999"})
    void bad_sentinels_are_refused_without_repeating_them(String sentinels) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RedisEndpoint.fromSentinelNodes(sentinels));

        assertFalse(error.getMessage().contains("TopSecret"));
    }

    @Test
    void a_sentinel_endpoint_uses_the_masters_tls_and_credentials_and_describes_itself_without_passwords() {
        RedisEndpoint.Sentinel endpoint = new RedisEndpoint.Sentinel(
                RedisEndpoint.fromSentinelMaster("rediss://:DataSecret1@mymaster/1"),
                RedisEndpoint.fromSentinelNodes("redis://:WatchSecret1@s1,redis://:WatchSecret1@s2"));

        assertTrue(endpoint.tls());
        assertEquals(Optional.of("DataSecret1"), endpoint.credentials().password());
        assertEquals("sentinel master mymaster/1 (TLS) (with AUTH) via [s1:26379, s2:26379] (with AUTH)",
                endpoint.describe());
        assertFalse(endpoint.toString().contains("Secret1"), endpoint.toString());
    }
}
