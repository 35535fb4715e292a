package dev.payhook.domain;

import java.util.Locale;

/** An ISO 4217 alphabetic currency code, kept in upper case. */
public record Currency(String code) {

    public Currency {
        if (code == null || !code.matches("[A-Za-z]{3}")) {
            throw new InvalidEventException("currency", "must be a three-letter ISO 4217 code");
        }
        code = code.toUpperCase(Locale.ROOT);
    }

    public static Currency of(String code) {
        return new Currency(code);
    }

    @Override
    public String toString() {
        return code;
    }
}
