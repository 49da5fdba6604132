package org.wwi.external.ddl;

import java.util.Arrays;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A password or secret from a statement. {@code toString} and {@code hashCode} never reveal it;
 * {@link #chars()} hands out a copy for the secret store, which the caller clears. A secret given
 * as {@code '${env:NAME}'} or {@code ENV('NAME')} is looked up only when {@link #chars()} is called, so a
 * statement skipped by {@code IF NOT EXISTS} needs no value.
 */
public final class SecretText {
    private final char[] chars;
    private final Supplier<String> deferred;

    private SecretText(char[] chars, Supplier<String> deferred) {
        this.chars = chars;
        this.deferred = deferred;
    }

    static SecretText of(String value) {
        return new SecretText(requireNonNull(value, "value is null").toCharArray(), null);
    }

    /** A secret resolved when used; {@code lookup} throws when there is no value. */
    static SecretText deferred(Supplier<String> lookup) {
        return new SecretText(null, requireNonNull(lookup, "lookup is null"));
    }

    /**
     * A copy of the secret; clear it ({@code Arrays.fill(c, '\0')}) once used.
     *
     * @throws org.wwi.external.ExternalException PLACEHOLDER_MISSING when a deferred value is not set
     */
    public char[] chars() {
        return chars != null ? chars.clone() : deferred.get().toCharArray();
    }

    @Override
    public String toString() {
        return "***";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SecretText s)) {
            return false;
        }
        return chars != null ? s.chars != null && Arrays.equals(chars, s.chars) : deferred == s.deferred;
    }

    @Override
    public int hashCode() {
        return 0;
    }
}
