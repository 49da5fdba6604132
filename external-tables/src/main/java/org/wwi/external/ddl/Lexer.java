package org.wwi.external.ddl;

import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits T-SQL text into tokens: {@code 'strings'} with {@code ''} escapes, {@code N'unicode'},
 * {@code [bracketed]} and {@code "quoted"} identifiers with doubled closing quotes, {@code --}
 * and nested {@code /* *}{@code /} comments, numbers, words and symbols, and {@code GO} lines
 * (batch separators). So that a {@code wwi sql} script can mix PostgreSQL statements, it also
 * steps over PostgreSQL's {@code E'…'} strings and {@code $tag$…$tag$} bodies.
 */
final class Lexer {
    private final String src;
    private final String origin;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String src, String origin) {
        this.src = src;
        this.origin = origin;
    }

    /**
     * The tokens of {@code src}, ending with an EOF token; strings after {@code SECRET =} and
     * {@code PASSWORD =} are marked sensitive.
     *
     * @param origin where the text comes from, for messages (a file name, "statement")
     */
    static List<Token> tokenize(String src, String origin) {
        List<Token> tokens = new Lexer(src, origin).run();
        markSensitive(tokens);
        return tokens;
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        boolean lineHasToken = false;
        int currentLine = 0;
        while (true) {
            skipBlanksAndComments();
            if (line != currentLine) {
                currentLine = line;
                lineHasToken = false;
            }
            if (pos >= src.length()) {
                out.add(new Token(Token.Type.EOF, "", pos, pos, line, col(pos), false));
                return out;
            }
            Token t = next();
            if (!lineHasToken && t.isWord("GO") && restOfLineIsBlank(t.end())) {
                t = new Token(Token.Type.BATCH, "GO", t.offset(), t.end(), t.line(), t.column(), false);
            } else if (!lineHasToken && t.isWord("GO") && goWithCount(t.end())) {
                throw error(t.line(), t.column(), "GO with a repeat count is not supported (write the statements out)");
            }
            out.add(t);
            lineHasToken = true;
            currentLine = line;
        }
    }

    private Token next() {
        int start = pos;
        int startLine = line;
        int startCol = col(pos);
        char c = src.charAt(pos);
        char n = pos + 1 < src.length() ? src.charAt(pos + 1) : '\0';
        if (c == '\'') {
            return new Token(Token.Type.STRING, quoted('\'', '\'', "string", startLine, startCol), start, pos,
                    startLine, startCol, false);
        }
        if ((c == 'N' || c == 'n') && n == '\'') {
            pos++;
            return new Token(Token.Type.STRING, quoted('\'', '\'', "string", startLine, startCol), start, pos,
                    startLine, startCol, false);
        }
        if ((c == 'E' || c == 'e') && n == '\'') {
            pos++;
            escapedString(startLine, startCol);
            return new Token(Token.Type.OTHER_STRING, src.substring(start, pos), start, pos, startLine, startCol,
                    false);
        }
        if (c == '[') {
            return new Token(Token.Type.QUOTED_IDENT, quoted('[', ']', "bracketed identifier", startLine, startCol),
                    start, pos, startLine, startCol, false);
        }
        if (c == '"') {
            return new Token(Token.Type.QUOTED_IDENT, quoted('"', '"', "quoted identifier", startLine, startCol),
                    start, pos, startLine, startCol, false);
        }
        if (c == '$' && dollarTag() != null) {
            dollarString(dollarTag(), startLine, startCol);
            return new Token(Token.Type.OTHER_STRING, src.substring(start, pos), start, pos, startLine, startCol,
                    false);
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(n))) {
            number();
            return new Token(Token.Type.NUMBER, src.substring(start, pos), start, pos, startLine, startCol, false);
        }
        if (isWordStart(c)) {
            pos++;
            while (pos < src.length() && isWordPart(src.charAt(pos))) {
                pos++;
            }
            return new Token(Token.Type.WORD, src.substring(start, pos), start, pos, startLine, startCol, false);
        }
        for (String op : new String[] {"::", "<=", ">=", "<>", "!=", "||", "->>", "->"}) {
            if (src.startsWith(op, pos)) {
                pos += op.length();
                return new Token(Token.Type.SYMBOL, op, start, pos, startLine, startCol, false);
            }
        }
        pos += Character.charCount(src.codePointAt(pos));
        return new Token(Token.Type.SYMBOL, src.substring(start, pos), start, pos, startLine, startCol, false);
    }

    /** Reads a quoted token whose closing quote is escaped by doubling; returns the unquoted value. */
    private String quoted(char open, char close, String what, int startLine, int startCol) {
        pos++; // the opening quote
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw error(startLine, startCol, "unterminated " + what + " (close it with " + close + ")");
            }
            char c = src.charAt(pos);
            if (c == close) {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == close) {
                    value.append(close);
                    pos += 2;
                    continue;
                }
                pos++;
                return value.toString();
            }
            advance(c);
            value.append(c);
        }
    }

    private void escapedString(int startLine, int startCol) {
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw error(startLine, startCol, "unterminated string (close it with ')");
            }
            char c = src.charAt(pos);
            if (c == '\\' && pos + 1 < src.length()) {
                advance(c);
                advance(src.charAt(pos));
                continue;
            }
            if (c == '\'') {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == '\'') {
                    pos += 2;
                    continue;
                }
                pos++;
                return;
            }
            advance(c);
        }
    }

    /** {@code $tag$} at pos, or null. */
    private String dollarTag() {
        int i = pos + 1;
        if (i < src.length() && Character.isDigit(src.charAt(i))) {
            return null;
        }
        while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
            i++;
        }
        return i < src.length() && src.charAt(i) == '$' ? src.substring(pos, i + 1) : null;
    }

    private void dollarString(String tag, int startLine, int startCol) {
        int close = src.indexOf(tag, pos + tag.length());
        if (close < 0) {
            throw error(startLine, startCol, "unterminated " + tag + " quoted text (close it with " + tag + ")");
        }
        while (pos < close + tag.length()) {
            advance(src.charAt(pos));
        }
    }

    private void number() {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos < src.length() && src.charAt(pos) == '.') {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos + 1 < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')
                && (Character.isDigit(src.charAt(pos + 1))
                || ((src.charAt(pos + 1) == '+' || src.charAt(pos + 1) == '-') && pos + 2 < src.length()
                && Character.isDigit(src.charAt(pos + 2))))) {
            pos += 2;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
    }

    private void skipBlanksAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c) || c == '\uFEFF') {
                advance(c);
            } else if (src.startsWith("--", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (src.startsWith("/*", pos)) {
                blockComment();
            } else {
                return;
            }
        }
    }

    private void blockComment() {
        int startLine = line;
        int startCol = col(pos);
        int depth = 0;
        while (pos < src.length()) {
            if (src.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (src.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                advance(src.charAt(pos));
            }
        }
        throw error(startLine, startCol, "unterminated comment (close it with */)");
    }

    private boolean restOfLineIsBlank(int from) {
        int i = from;
        while (i < src.length() && src.charAt(i) != '\n') {
            char c = src.charAt(i);
            if (src.startsWith("--", i)) {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
            i++;
        }
        return true;
    }

    private boolean goWithCount(int from) {
        int i = from;
        while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
            i++;
        }
        int digits = i;
        while (i < src.length() && Character.isDigit(src.charAt(i))) {
            i++;
        }
        return i > digits && restOfLineIsBlank(i);
    }

    private void advance(char c) {
        pos++;
        if (c == '\n') {
            line++;
            lineStart = pos;
        }
    }

    private int col(int at) {
        return at - lineStart + 1;
    }

    private ExternalException error(int errLine, int errCol, String what) {
        return new ExternalException(ExternalErrorCode.SYNTAX_ERROR,
                "Cannot parse " + origin + " at line " + errLine + ", column " + errCol + ": " + what);
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '@' || c == '#';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '@' || c == '#' || c == '$';
    }

    /** Marks the string value after SECRET = / PASSWORD = (and inside ENV(...) never: names are not secret). */
    private static void markSensitive(List<Token> tokens) {
        for (int i = 2; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if ((t.type() == Token.Type.STRING || t.type() == Token.Type.OTHER_STRING)
                    && tokens.get(i - 1).isSymbol("=")
                    && (tokens.get(i - 2).isWord("SECRET") || tokens.get(i - 2).isWord("PASSWORD"))) {
                tokens.set(i, t.asSensitive());
            }
        }
    }

    /**
     * {@code text} with every sensitive string replaced by {@code '***'}; when the text does not
     * even tokenize, everything from the first SECRET or PASSWORD on is cut off.
     */
    static String mask(String text) {
        List<Token> tokens;
        try {
            tokens = tokenize(text, "statement");
        } catch (ExternalException e) {
            String upper = text.toUpperCase(java.util.Locale.ROOT);
            int cut = minPositive(upper.indexOf("SECRET"), upper.indexOf("PASSWORD"));
            return cut < 0 ? text : text.substring(0, cut) + "…";
        }
        StringBuilder b = new StringBuilder();
        int at = 0;
        for (Token t : tokens) {
            if (t.sensitive()) {
                b.append(text, at, t.offset()).append("'***'");
                b.append("\n".repeat((int) text.substring(t.offset(), t.end()).chars().filter(ch -> ch == '\n').count()));
                at = t.end();
            }
        }
        return b.append(text.substring(at)).toString();
    }

    private static int minPositive(int a, int b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }
}
