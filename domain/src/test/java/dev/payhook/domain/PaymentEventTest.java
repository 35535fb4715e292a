package dev.payhook.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaymentEventTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "evt 1", "évt", "evt\n", "evt\u0000"})
    void an_event_id_outside_visible_ascii_is_refused_naming_the_field(String id) {
        InvalidEventException error = assertThrows(InvalidEventException.class, () -> new EventId(id));
        assertEquals("event_id", error.field());
    }

    @Test
    void an_event_id_may_have_255_characters_but_not_256() {
        assertEquals(255, new EventId("e".repeat(255)).value().length());
        assertThrows(InvalidEventException.class, () -> new EventId("e".repeat(256)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void an_amount_that_is_not_positive_is_refused(long amount) {
        InvalidEventException error = assertThrows(InvalidEventException.class,
                () -> new PaymentEvent(new EventId("evt_1"), amount, Currency.of("USD")));
        assertEquals("amount", error.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"US", "USDT", "U$D", "123"})
    void a_currency_that_is_not_three_letters_is_refused(String code) {
        InvalidEventException error = assertThrows(InvalidEventException.class, () -> Currency.of(code));
        assertEquals("currency", error.field());
    }

    @Test
    void currency_codes_are_kept_in_upper_case() {
        assertEquals(Currency.of("USD"), Currency.of("usd"));
    }

    @Test
    void the_fingerprint_depends_on_amount_and_currency_only() {
        PaymentEvent event = new PaymentEvent(new EventId("evt_1"), 1000, Currency.of("USD"));

        assertEquals(event.fingerprint(), new PaymentEvent(new EventId("evt_2"), 1000, Currency.of("usd")).fingerprint());
        assertNotEquals(event.fingerprint(), new PaymentEvent(new EventId("evt_1"), 999, Currency.of("USD")).fingerprint());
        assertNotEquals(event.fingerprint(), new PaymentEvent(new EventId("evt_1"), 1000, Currency.of("EUR")).fingerprint());
        assertEquals(Fingerprint.LENGTH, event.fingerprint().value().length());
    }
}
