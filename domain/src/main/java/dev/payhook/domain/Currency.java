package dev.payhook.domain;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** An ISO 4217 alphabetic currency code, kept in upper case; codes ISO 4217 does not define are refused. */
public record Currency(String code) {

    /** The codes the JDK knows from ISO 4217. */
    private static final Set<String> ISO_4217 = java.util.Currency.getAvailableCurrencies().stream()
            .map(java.util.Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    public Currency {
        if (code == null || code.length() != 3) {
            throw new InvalidEventException("currency", "must be a three-letter ISO 4217 code");
        }
        code = code.toUpperCase(Locale.ROOT);
        if (!ISO_4217.contains(code)) {
            throw new InvalidEventException("currency", "'" + code + "' is not an ISO 4217 currency code");
        }
    }

    public static Currency of(String code) {
        return new Currency(code);
    }

    @Override
    public String toString() {
        return code;
    }
}
