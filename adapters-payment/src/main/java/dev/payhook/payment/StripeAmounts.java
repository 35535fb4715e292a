package dev.payhook.payment;

import dev.payhook.domain.Currency;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stripe's rules for the {@code amount} of a charge (docs.stripe.com/currencies), checked before anything is
 * sent, so that a payment Stripe would refuse as invalid is answered as such instead of being recorded as a
 * failure. Amounts are in the unit Stripe counts for the currency: cents for two-decimal currencies, whole
 * units for zero-decimal ones, thousandths for three-decimal ones.
 */
final class StripeAmounts {

    /** Every currency code Stripe's API accepts for a charge, in lower case. */
    private static final Set<String> SUPPORTED = Set.of(
            "usd", "aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn", "bam", "bbd", "bdt", "bgn",
            "bhd", "bif", "bmd", "bnd", "bob", "brl", "bsd", "btn", "bwp", "byn", "bzd", "cad", "cdf", "chf", "clp",
            "cny", "cop", "crc", "cve", "czk", "djf", "dkk", "dop", "dzd", "eek", "egp", "etb", "eur", "fjd", "fkp",
            "gbp", "gel", "ghs", "gip", "gmd", "gnf", "gtq", "gyd", "hkd", "hnl", "hrk", "htg", "huf", "idr", "ils",
            "inr", "isk", "jmd", "jod", "jpy", "kes", "kgs", "khr", "kmf", "krw", "kwd", "kyd", "kzt", "lak", "lbp",
            "lkr", "lrd", "lsl", "ltl", "lvl", "mad", "mdl", "mga", "mkd", "mmk", "mnt", "mop", "mro", "mur", "mvr",
            "mwk", "mxn", "myr", "mzn", "nad", "ngn", "nio", "nok", "npr", "nzd", "omr", "pab", "pen", "pgk", "php",
            "pkr", "pln", "pyg", "qar", "ron", "rsd", "rub", "rwf", "sar", "sbd", "scr", "sek", "sgd", "shp", "sle",
            "sll", "sos", "srd", "std", "svc", "szl", "thb", "tjs", "tnd", "top", "try", "ttd", "twd", "tzs", "uah",
            "ugx", "uyu", "uzs", "vef", "vnd", "vuv", "wst", "xaf", "xcd", "xcg", "xof", "xpf", "yer", "zar", "zmw");

    /** Charged in whole units: the amount is the charge. */
    private static final Set<String> ZERO_DECIMAL = Set.of(
            "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "vnd", "vuv", "xaf", "xof", "xpf");

    /** Counted in thousandths, of which Stripe takes only multiples of ten. */
    private static final Set<String> THREE_DECIMAL = Set.of("bhd", "jod", "kwd", "omr", "tnd");

    /** Zero-decimal in fact but two-decimal on the wire: the decimals must be 00. */
    private static final Set<String> WHOLE_UNITS_IN_CENTS = Set.of("isk", "ugx");

    /** The smallest charge Stripe makes, in the currency's Stripe units, for the currencies it names one. */
    private static final Map<String, Long> MINIMUM = Map.ofEntries(
            Map.entry("usd", 50L), Map.entry("aed", 200L), Map.entry("ars", 50L), Map.entry("aud", 50L),
            Map.entry("brl", 50L), Map.entry("cad", 50L), Map.entry("chf", 50L), Map.entry("cop", 50L),
            Map.entry("czk", 1_500L), Map.entry("dkk", 250L), Map.entry("eur", 50L), Map.entry("gbp", 30L),
            Map.entry("hkd", 400L), Map.entry("huf", 17_500L), Map.entry("idr", 50L), Map.entry("ils", 50L),
            Map.entry("inr", 50L), Map.entry("jpy", 50L), Map.entry("krw", 50L), Map.entry("mxn", 1_000L),
            Map.entry("myr", 200L), Map.entry("nok", 300L), Map.entry("nzd", 50L), Map.entry("php", 50L),
            Map.entry("pln", 200L), Map.entry("ron", 200L), Map.entry("rub", 50L), Map.entry("sek", 300L),
            Map.entry("sgd", 50L), Map.entry("thb", 1_000L), Map.entry("zar", 50L));

    /** Digits an amount may have: eight in general, more for a few currencies of small value. */
    private static final int DEFAULT_MAX_DIGITS = 8;
    private static final Map<String, Integer> MAX_DIGITS = Map.of("idr", 12, "cop", 10, "inr", 9);

    private StripeAmounts() {
    }

    /** The rule {@code amount} in {@code currency} breaks, or empty when Stripe may be asked to charge it. */
    static Optional<String> refusal(long amount, Currency currency) {
        String code = currency.code().toLowerCase(Locale.ROOT);
        String upper = currency.code();
        if (!SUPPORTED.contains(code)) {
            return Optional.of("Stripe does not charge in " + upper);
        }
        int maxDigits = MAX_DIGITS.getOrDefault(code, DEFAULT_MAX_DIGITS);
        if (Long.toString(amount).length() > maxDigits) {
            return Optional.of("amount " + amount + " has more than " + maxDigits + " digits, the most Stripe takes for "
                    + upper);
        }
        if (THREE_DECIMAL.contains(code) && amount % 10 != 0) {
            return Optional.of("amount " + amount + " is in thousandths of " + upper
                    + ", and Stripe takes only multiples of 10 (the last digit must be 0)");
        }
        if (WHOLE_UNITS_IN_CENTS.contains(code) && amount % 100 != 0) {
            return Optional.of("amount " + amount + " is in hundredths of " + upper
                    + ", and Stripe charges no fractions of it (the amount must be a multiple of 100)");
        }
        Long minimum = MINIMUM.get(code);
        if (minimum != null && amount < minimum) {
            return Optional.of("amount " + amount + " is below Stripe's minimum charge in " + upper + ", "
                    + minimum + " (" + inMajorUnits(minimum, code) + " " + upper + ")");
        }
        return Optional.empty();
    }

    private static String inMajorUnits(long amount, String code) {
        int decimals = ZERO_DECIMAL.contains(code) ? 0 : THREE_DECIMAL.contains(code) ? 3 : 2;
        return BigDecimal.valueOf(amount, decimals).toPlainString();
    }
}
