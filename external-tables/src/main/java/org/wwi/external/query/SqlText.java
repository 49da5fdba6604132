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
            } else if (c == '$' && dollarTag(sql, i) != null) {
                // PostgreSQL's $tag$ … $tag$ text (function bodies): one string, never rewritten
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                int end = close < 0 ? n : close + tag.length();
                out.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
                i = end;
            } else if ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\''
                    && (i == 0 || !isWordPart(sql.charAt(i - 1)))) {
                // PostgreSQL's E'…' with backslash escapes
                int j = i + 2;
                while (j < n && sql.charAt(j) != '\'') {
                    j += sql.charAt(j) == '\\' ? 2 : 1;
                    if (j < n && sql.charAt(j) == '\'' && j + 1 < n && sql.charAt(j + 1) == '\'') {
                        j += 2;
                    }
                }
                int end = Math.min(n, j + 1);
                out.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
                i = end;
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
            } else if (c == '"' || (c == '[' && bracketOpensIdentifier(sql, i, out))) {
                char close = c == '"' ? '"' : ']';
                int end = closing(sql, i + 1, close);
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

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** The {@code $tag$} starting at {@code at} (a PostgreSQL dollar quote), or null. */
    private static String dollarTag(String sql, int at) {
        if (at > 0 && isWordPart(sql.charAt(at - 1))) {
            return null;
        }
        int i = at + 1;
        if (i < sql.length() && Character.isDigit(sql.charAt(i))) {
            return null; // $1: a parameter
        }
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        return i < sql.length() && sql.charAt(i) == '$' ? sql.substring(at, i + 1) : null;
    }

    /** The index of the quote closing a quoted identifier that starts at {@code from}; a doubled quote is part of it. */
    private static int closing(String sql, int from, char close) {
        int j = from;
        while (j < sql.length()) {
            if (sql.charAt(j) == close) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == close) {
                    j += 2;
                    continue;
                }
                return j;
            }
            j++;
        }
        return sql.length();
    }

    /**
     * Whether the {@code [} at {@code at} starts a T-SQL bracketed identifier ({@code [dbo].[Sales]}) rather
     * than PostgreSQL's subscript or array bracket ({@code a[1]}, {@code (f(x))[2]}, {@code ARRAY[1, 2]},
     * {@code int[]}): a subscript follows a name, {@code )} or {@code ]} without a blank, and an identifier
     * is closed on the same line and not empty.
     */
    private static boolean bracketOpensIdentifier(String sql, int at, List<Token> before) {
        if (at > 0) {
            char p = sql.charAt(at - 1);
            if (Character.isLetterOrDigit(p) || p == '_' || p == '$' || p == ')' || p == ']' || p == '"') {
                return false;
            }
        }
        if (!before.isEmpty() && before.get(before.size() - 1).is("ARRAY")) {
            return false;
        }
        int end = closing(sql, at + 1, ']');
        return end < sql.length() && end > at + 1 && sql.substring(at + 1, end).indexOf('\n') < 0;
    }

    /**
     * A statement as the query engine runs it: T-SQL bracketed identifiers turned into standard quoted
     * identifiers, and a trailing T-SQL {@code OPTION ( … )} clause taken off.
     *
     * @param sql     the statement to run
     * @param label   the value of {@code OPTION (LABEL = '…')}, if the statement had one
     * @param notices what the statement asked for that is ignored (query hints)
     */
    record Prepared(String sql, java.util.Optional<String> label, List<String> notices) {
    }

    /**
     * Prepares a statement: {@code [Name]} becomes {@code "name"} (T-SQL compares identifiers
     * case-insensitively, so a bracketed name folds to lower case as an unquoted one does in PostgreSQL;
     * {@code ]]} inside is {@code ]}), and {@code OPTION (LABEL = '…'[, hint …])} at the end of a
     * SELECT, INSERT, UPDATE, DELETE, CTAS or EXPLAIN is taken off: the label is returned, other
     * hints are ignored with a notice.
     */
    static Prepared prepare(String sql) {
        List<Token> tokens = tokens(sql);
        StringBuilder b = new StringBuilder(sql.length());
        int at = 0;
        int end = sql.length();
        java.util.Optional<String> label = java.util.Optional.empty();
        List<String> notices = new ArrayList<>();
        int option = trailingOption(tokens);
        if (option >= 0) {
            end = tokens.get(option).start();
            List<Token> inside = tokens.subList(option + 2, tokens.size() - 1);
            for (List<Token> hint : split(inside)) {
                if (hint.size() == 3 && hint.get(0).is("LABEL") && hint.get(1).isPunct('=')
                        && hint.get(2).kind() == Kind.STRING) {
                    label = java.util.Optional.of(hint.get(2).text());
                } else if (!hint.isEmpty()) {
                    notices.add("query hint " + sql.substring(hint.get(0).start(), hint.get(hint.size() - 1).end())
                            + " ignored (PostgreSQL plans the statement itself)");
                }
            }
        }
        for (Token t : tokens) {
            if (t.start() >= end) {
                break;
            }
            if (t.kind() == Kind.QUOTED && sql.charAt(t.start()) == '[') {
                String name = t.text().replace("]]", "]").toLowerCase(Locale.ROOT).replace("\"", "\"\"");
                b.append(sql, at, t.start()).append('"').append(name).append('"');
                at = t.end();
            }
        }
        b.append(sql, at, end);
        return new Prepared(b.toString().strip(), label, notices);
    }

    /** The index of {@code OPTION} when the statement ends with {@code OPTION ( … )} at its top level, else -1. */
    private static int trailingOption(List<Token> tokens) {
        if (tokens.size() < 4 || !tokens.get(tokens.size() - 1).isPunct(')')) {
            return -1;
        }
        Token first = tokens.get(0);
        boolean dml = first.is("SELECT") || first.is("WITH") || first.is("INSERT") || first.is("UPDATE")
                || first.is("DELETE") || first.is("EXPLAIN") || (first.is("CREATE") && tokens.get(1).is("TABLE"));
        if (!dml) {
            return -1;
        }
        int depth = 0;
        for (int i = tokens.size() - 1; i >= 0; i--) {
            Token t = tokens.get(i);
            if (t.isPunct(')')) {
                depth++;
            } else if (t.isPunct('(')) {
                depth--;
                if (depth == 0) {
                    return i > 1 && tokens.get(i - 1).is("OPTION") ? i - 1 : -1;
                }
            }
        }
        return -1;
    }

    /** Splits tokens at the commas of their top level. */
    private static List<List<Token>> split(List<Token> tokens) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token t : tokens) {
            if (t.isPunct('(')) {
                depth++;
            } else if (t.isPunct(')')) {
                depth--;
            }
            if (depth == 0 && t.isPunct(',')) {
                out.add(current);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        out.add(current);
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
