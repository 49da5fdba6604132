package org.wwi.platform.yaml;

import org.wwi.platform.WwiException;

import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * How the errors of one kind of YAML file read and what they throw. A message is
 * {@code HEADING FILE:LINE (PATH): PROBLEM (HINT)}, for example
 * {@code Cannot read pipeline pipelines/p.yaml:2 (steps[0].kind): ...}; a YAML syntax error is
 * {@code SYNTAX_HEADING FILE:LINE: PROBLEM (fix the YAML syntax)}.
 *
 * @param heading       the start of every message about the content, e.g. {@code Cannot read pipeline}
 * @param syntaxHeading the start of a message about broken YAML (often the same as {@code heading})
 * @param factory       makes the calling module's exception, with its error code, from a message and a
 *                      cause (the cause is null for errors in the content)
 */
public record YamlErrors(String heading, String syntaxHeading, BiFunction<String, Throwable, WwiException> factory) {
    public YamlErrors {
        requireNonNull(heading, "heading is null");
        requireNonNull(syntaxHeading, "syntaxHeading is null");
        requireNonNull(factory, "factory is null");
    }

    /** The same heading for syntax and content errors. */
    public static YamlErrors of(String heading, BiFunction<String, Throwable, WwiException> factory) {
        return new YamlErrors(heading, heading, factory);
    }

    /** The exception for {@code message} (already complete, heading included). */
    public WwiException error(String message, Throwable cause) {
        return requireNonNull(factory.apply(message, cause), "the error factory returned null");
    }

    @Override
    public String toString() {
        return "YamlErrors(" + heading + ")";
    }
}
