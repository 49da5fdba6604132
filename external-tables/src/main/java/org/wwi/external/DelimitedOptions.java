package org.wwi.external;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code FORMAT_OPTIONS (…)} of a DELIMITEDTEXT file format. PARQUET formats carry {@link #DEFAULT}.
 *
 * @param fieldTerminator characters between fields (PolyBase default {@code |}); may be several characters
 * @param stringDelimiter the character quoting a field (PolyBase default: none); doubled inside a field
 * @param firstRow        1-based number of the first row to read in every file ({@code 2} skips a header)
 * @param dateFormat      the pattern of date and time fields as written in DDL (Java {@link DateTimeFormatter}
 *                        letters; PolyBase's {@code tt} and {@code fff} are accepted, see {@link #dateFormatter()});
 *                        empty means ISO-like defaults
 * @param useTypeDefault  true: an empty field becomes the type's default (0, '', 1900-01-01) instead of NULL
 * @param encoding        UTF-8 ({@code 'UTF8'}) or UTF-16 ({@code 'UTF16'})
 */
public record DelimitedOptions(String fieldTerminator, Optional<Character> stringDelimiter, int firstRow,
                               Optional<String> dateFormat, boolean useTypeDefault, Charset encoding) {

    /** PolyBase's defaults: {@code |}, no string delimiter, first row 1, no date format, NULL for empty, UTF-8. */
    public static final DelimitedOptions DEFAULT = new DelimitedOptions("|", Optional.empty(), 1, Optional.empty(),
            false, StandardCharsets.UTF_8);

    public DelimitedOptions {
        requireNonNull(fieldTerminator, "fieldTerminator is null");
        requireNonNull(stringDelimiter, "stringDelimiter is null");
        requireNonNull(dateFormat, "dateFormat is null");
        requireNonNull(encoding, "encoding is null");
        if (fieldTerminator.isEmpty()) {
            throw new IllegalArgumentException("FIELD_TERMINATOR is empty");
        }
        if (firstRow < 1) {
            throw new IllegalArgumentException("FIRST_ROW must be 1 or more, not " + firstRow);
        }
        if (!encoding.equals(StandardCharsets.UTF_8) && !encoding.equals(StandardCharsets.UTF_16)) {
            throw new IllegalArgumentException("ENCODING must be 'UTF8' or 'UTF16', not " + encoding);
        }
        if (stringDelimiter.isPresent() && fieldTerminator.indexOf(stringDelimiter.get()) >= 0) {
            throw new IllegalArgumentException("STRING_DELIMITER must not be part of FIELD_TERMINATOR");
        }
        dateFormat.ifPresent(DelimitedOptions::toFormatter);
    }

    /** The DATE_FORMAT as a formatter, when there is one. */
    public Optional<DateTimeFormatter> dateFormatter() {
        return dateFormat.map(DelimitedOptions::toFormatter);
    }

    /**
     * A PolyBase DATE_FORMAT as a Java formatter: {@code tt} (.NET's AM/PM) becomes {@code a},
     * {@code f} (fraction digits) becomes {@code S}; everything else is Java's pattern language.
     * Text in single quotes is a literal and stays as it is ({@code 'of' MMMM} keeps its {@code f}).
     *
     * @throws IllegalArgumentException when the pattern is not valid
     */
    static DateTimeFormatter toFormatter(String pattern) {
        StringBuilder javaPattern = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                javaPattern.append(c);
            } else if (quoted) {
                javaPattern.append(c);
            } else if (c == 't' && i + 1 < pattern.length() && pattern.charAt(i + 1) == 't') {
                javaPattern.append('a');
                i++;
            } else {
                javaPattern.append(c == 'f' ? 'S' : c);
            }
        }
        try {
            return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(javaPattern.toString())
                    .toFormatter(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATE_FORMAT '" + pattern + "' is not a valid pattern: " + e.getMessage(), e);
        }
    }
}
