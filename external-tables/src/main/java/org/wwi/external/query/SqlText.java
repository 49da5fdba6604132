package org.wwi.external.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small tokenizer for routing statements: words, quoted identifiers ({@code "x"}, {@code [x]}),
 * string literals, numbers and single punctuation characters, with comments skipped. It does not
 * parse SQL; Calcite and PostgreSQL do.
 */
final class SqlText {
    enum Kind { WORD, QUOTED, STRING, NUMBER, PUNCT }

    record Token(Kind kind, String text, int start, int end) {
        boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isPunct(char c) {
            return kind == Kind.PUNCT && text.charAt(0) == c;
        }

        /** The identifier's name: unquoted as written, quoted without the quotes. */
        String name() {
            return text;
        }
    }

    private SqlText() {
    }

    static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'') {
                int j = i + 1;
                StringBuilder sb = new StringBuilder();
                while (j < n) {
                    if (sql.charAt(j) == '\'') {
                        if (j + 1 < n && sql.charAt(j + 1) == '\'') {
                            sb.append('\'');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    sb.append(sql.charAt(j++));
                }
                out.add(new Token(Kind.STRING, sb.toString(), i, Math.min(n, j + 1)));
                i = j + 1;
            } else if (c == '"' || c == '[') {
                char close = c == '"' ? '"' : ']';
                int j = sql.indexOf(close, i + 1);
                int end = j < 0 ? n : j;
                out.add(new Token(Kind.QUOTED, sql.substring(i + 1, end), i, Math.min(n, end + 1)));
                i = end + 1;
            } else if (Character.isLetter(c) || c == '_' || c == '#' || c == '@') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, j), i, j));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i + 1;
                while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, j), i, j));
                i = j;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), i, i + 1));
                i++;
            }
        }
        return out;
    }

    /** Whether the tokens name {@code schema.something} for one of the given schemas (lower case). */
    static boolean references(List<Token> tokens, java.util.Set<String> schemas) {
        for (int i = 0; i + 2 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if ((t.kind() == Kind.WORD || t.kind() == Kind.QUOTED) && tokens.get(i + 1).isPunct('.')
                    && schemas.contains(t.text().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
