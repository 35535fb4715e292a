package dev.payhook.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payhook.domain.Currency;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Stripe's rules for amounts and currencies, as docs.stripe.com/currencies states them. */
class StripeAmountsTest {

    private static Optional<String> refusal(long amount, String currency) {
        return StripeAmounts.refusal(amount, Currency.of(currency));
    }

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({
            "50,USD", "50,EUR", "30,GBP", "50,JPY", "50,KRW", "400,HKD", "17500,HUF", "1500,CZK", "250,DKK",
            "1000,MXN", "1000,THB", "300,SEK", "300,NOK", "200,AED", "200,PLN", "200,RON", "200,MYR", "50,CHF"})
    void the_minimum_charge_of_a_currency_is_taken_and_one_unit_less_is_refused(long minimum, String currency) {
        assertEquals(Optional.empty(), refusal(minimum, currency));

        String rule = refusal(minimum - 1, currency).orElseThrow();
        assertTrue(rule.contains("below Stripe's minimum charge in " + currency), rule);
        assertTrue(rule.contains(Long.toString(minimum)), rule);
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({"50,USD,0.50 USD", "30,GBP,0.30 GBP", "50,JPY,50 JPY", "17500,HUF,175.00 HUF"})
    void a_minimum_is_also_shown_in_the_currencys_own_units(long minimum, String currency, String shown) {
        String rule = refusal(minimum - 1, currency).orElseThrow();

        assertTrue(rule.contains("(" + shown + ")"), rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLP", "VND", "XOF", "BIF", "NGN", "EGP"})
    void currencies_without_a_minimum_of_their_own_take_any_positive_amount(String currency) {
        assertEquals(Optional.empty(), refusal(1, currency));
    }

    @ParameterizedTest(name = "{1}: at most {0} digits")
    @CsvSource({"8,USD", "8,JPY", "8,EUR", "12,IDR", "10,COP", "9,INR"})
    void amounts_have_at_most_the_digits_stripe_takes(int digits, String currency) {
        long largest = (long) Math.pow(10, digits) - 1;

        assertEquals(Optional.empty(), refusal(largest, currency));
        String rule = refusal(largest + 1, currency).orElseThrow();
        assertTrue(rule.contains("more than " + digits + " digits"), rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BHD", "JOD", "KWD", "OMR", "TND"})
    void three_decimal_currencies_take_only_multiples_of_ten(String currency) {
        assertEquals(Optional.empty(), refusal(1_230, currency));

        String rule = refusal(1_234, currency).orElseThrow();
        assertTrue(rule.contains("multiples of 10"), rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISK", "UGX"})
    void currencies_charged_in_whole_units_but_sent_with_two_decimals_take_only_multiples_of_a_hundred(String currency) {
        assertEquals(Optional.empty(), refusal(500, currency));

        String rule = refusal(550, currency).orElseThrow();
        assertTrue(rule.contains("multiple of 100"), rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HUF", "TWD"})
    void currencies_zero_decimal_only_for_payouts_take_two_decimal_charges(String currency) {
        assertEquals(Optional.empty(), refusal(100_045, currency));
    }

    @ParameterizedTest
    @ValueSource(strings = {"XXX", "XAU", "XDR", "CUP", "IRR", "KPW", "SYP", "VES"})
    void currencies_stripe_does_not_charge_in_are_refused(String currency) {
        String rule = refusal(10_000, currency).orElseThrow();

        assertEquals("Stripe does not charge in " + currency, rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "EUR", "GBP", "JPY", "CHF", "BRL", "INR", "ZAR", "KWD", "XCD", "TWD"})
    void common_currencies_are_charged(String currency) {
        assertEquals(Optional.empty(), refusal(100_000, currency));
    }
}
