package org.wwi.external.ddl;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Values of {@code ${name}} placeholders inside string literals of DDL, and of {@code ENV('NAME')}.
 * {@code ${env:NAME}} and {@code ENV('NAME')} read the environment variable NAME; other names
 * come from a map (for example {@code wwi.lake}, the URI of the sample lake). {@code $${} writes
 * a literal {@code ${}.
 */
public interface Placeholders {

    /** The value of {@code name} ({@code env:NAME} for environment variables), if it has one. */
    Optional<String> value(String name);

    /** Only the process environment. */
    static Placeholders environment() {
        return of(Map.of(), System::getenv);
    }

    /** {@code values} for plain names, {@code env} (e.g. {@code System::getenv}) for {@code env:NAME}. */
    static Placeholders of(Map<String, String> values, Function<String, String> env) {
        Map<String, String> copy = Map.copyOf(requireNonNull(values, "values is null"));
        requireNonNull(env, "env is null");
        return name -> name.startsWith("env:")
                ? Optional.ofNullable(env.apply(name.substring(4)))
                : Optional.ofNullable(copy.get(name));
    }
}
