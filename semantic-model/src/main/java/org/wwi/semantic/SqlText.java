package org.wwi.semantic;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Lexical helpers over the SQL a client sends, aware of string literals, quoted identifiers and
 * comments: the first keyword (to refuse writes before parsing) and the MEASURE rename.
 */
final class SqlText {
    private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "CREATE",
            "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "COPY", "CALL", "DO", "SET", "RESET", "VACUUM",
            "ANALYZE", "COMMENT", "LOCK", "BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
            "REFRESH", "REINDEX", "CLUSTER", "LISTEN", "NOTIFY", "UNLISTEN", "PREPARE", "EXECUTE", "DEALLOCATE",
            "DISCARD", "IMPORT", "LOAD", "SECURITY", "REPLACE", "USE", "EXEC");

    private SqlText() {
    }

    /** The statement's first keyword in upper case, if any. */
    static Optional<String> firstKeyword(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (Character.isLetter(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                return Optional.of(sql.substring(start, i).toUpperCase(Locale.ROOT));
            } else {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether the first keyword writes or changes state (DML, DDL, session and transaction control). */
    static Optional<String> writeKeyword(String sql) {
        return firstKeyword(sql).filter(WRITES::contains);
    }

    /**
     * Renames calls {@code MEASURE(} to {@code MEASUR$(} outside literals, quoted identifiers and
     * comments. The length is unchanged so parser positions still match the client's text.
     */
    static String renameMeasure(String sql) {
        StringBuilder out = new StringBuilder(sql);
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                i = skipQuoted(sql, i, '\'');
            } else if (c == '"') {
                i = skipQuoted(sql, i, '"');
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                if (i - start == 7 && sql.substring(start, i).equalsIgnoreCase("MEASURE")) {
                    int j = i;
                    while (j < n && Character.isWhitespace(sql.charAt(j))) {
                        j++;
                    }
                    if (j < n && sql.charAt(j) == '(') {
                        out.setCharAt(start + 6, '$');
                    }
                }
            } else {
                i++;
            }
        }
        return out.toString();
    }

    /** Puts MEASURE back into messages from the parser or validator. */
    static String restoreMeasure(String message) {
        return message == null ? "" : message.replace("MEASUR$", "MEASURE").replace("measur$", "measure")
                .replace("`", "\"");
    }

    private static int skipQuoted(String sql, int i, char quote) {
        int j = i + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return j;
    }

    /** A SQL string literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
