package org.wwi.external.ddl;

import static java.util.Objects.requireNonNull;

/**
 * A token of T-SQL (and, for splitting scripts, PostgreSQL) text.
 *
 * @param type      what it is
 * @param value     words as written, identifiers and strings unquoted, symbols as written
 * @param offset    start in the script (chars)
 * @param end       end in the script (exclusive)
 * @param line      1-based line of the start
 * @param column    1-based column of the start
 * @param sensitive true for the string after {@code SECRET =} or {@code PASSWORD =}: never shown
 */
record Token(Type type, String value, int offset, int end, int line, int column, boolean sensitive) {

    enum Type {
        /** An unquoted word: keyword or identifier. */
        WORD,
        /** {@code [identifier]} or {@code "identifier"}. */
        QUOTED_IDENT,
        /** {@code 'text'} or {@code N'text'}. */
        STRING,
        /** PostgreSQL {@code E'…'} or {@code $tag$…$tag$} text; only split over, never parsed as DDL. */
        OTHER_STRING,
        NUMBER,
        SYMBOL,
        /** A {@code GO} line: ends a batch. */
        BATCH,
        EOF
    }

    Token {
        requireNonNull(type, "type is null");
        requireNonNull(value, "value is null");
    }

    Token asSensitive() {
        return new Token(type, value, offset, end, line, column, true);
    }

    boolean isWord(String word) {
        return type == Type.WORD && value.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
        return type == Type.SYMBOL && value.equals(symbol);
    }

    boolean isIdentifier() {
        return type == Type.WORD || type == Type.QUOTED_IDENT;
    }

    /** How an error message shows it: {@code 'LOCATIO'}, {@code string 'abc'}, {@code end of statement}. */
    String describe() {
        return switch (type) {
            case EOF -> "end of statement";
            case BATCH -> "GO";
            case STRING -> sensitive ? "a string" : "string '" + abbreviate(value) + "'";
            case OTHER_STRING -> "a string";
            case QUOTED_IDENT -> "identifier [" + abbreviate(value) + "]";
            case NUMBER -> "number " + value;
            case SYMBOL -> "'" + value + "'";
            case WORD -> "'" + value + "'";
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
