package org.wwi.semantic;

import java.math.BigDecimal;
import java.util.Locale;

/** How a member's values are shown to people: {@code format:} in the model files. */
public enum Format {
    /** 1,234 or 1,234.57. */
    NUMBER,
    /** $1,234.57 (WWI reports in US dollars). */
    CURRENCY,
    /** 12.3% for 0.123. */
    PERCENT,
    /** The value as it is. */
    TEXT;

    /**
     * The value formatted for display; {@code decimals} below zero means the default (2 for
     * currency, 1 for percent, 0 for whole numbers and 2 otherwise). Null shows as empty.
     */
    public String apply(Object value, int decimals) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof Number n) || this == TEXT) {
            return String.valueOf(value);
        }
        boolean whole = n instanceof Long || n instanceof Integer || n instanceof Short
                || n instanceof BigDecimal b && b.scale() <= 0;
        return switch (this) {
            case CURRENCY -> String.format(Locale.US, "$%,." + (decimals < 0 ? 2 : decimals) + "f", n.doubleValue());
            case PERCENT -> String.format(Locale.US, "%." + (decimals < 0 ? 1 : decimals) + "f%%",
                    n.doubleValue() * 100);
            default -> whole && decimals < 0 ? String.format(Locale.US, "%,d", n.longValue())
                    : String.format(Locale.US, "%,." + (decimals < 0 ? 2 : decimals) + "f", n.doubleValue());
        };
    }
}
