package org.wwi.external.ddl;

import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A script of statements, as {@code wwi sql} and the DDL migrations read it: split at {@code ;}
 * and at {@code GO} lines by the T-SQL tokenizer (so separators inside strings, quoted
 * identifiers, comments and PostgreSQL {@code $$} bodies do not count). Each statement is either
 * PolyBase DDL, parsed by {@link #parse}, or SQL for the query engine, passed on as written.
 */
public final class SqlScript {
    private final String text;
    private final String origin;
    private final List<Statement> statements;

    private SqlScript(String text, String origin, List<Statement> statements) {
        this.text = text;
        this.origin = origin;
        this.statements = List.copyOf(statements);
    }

    /**
     * Splits {@code text}.
     *
     * @param origin names the text in messages: a file name, or "statement" for ad hoc SQL
     * @throws ExternalException SYNTAX_ERROR for an unterminated string, identifier or comment
     */
    public static SqlScript split(String text, String origin) {
        requireNonNull(text, "text is null");
        requireNonNull(origin, "origin is null");
        List<Token> all = Lexer.tokenize(text, origin);
        List<Statement> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : all) {
            boolean separator = t.isSymbol(";") || t.type() == Token.Type.BATCH || t.type() == Token.Type.EOF;
            if (!separator) {
                current.add(t);
                continue;
            }
            if (!current.isEmpty()) {
                out.add(new Statement(text, origin, current, t));
                current = new ArrayList<>();
            }
        }
        return new SqlScript(text, origin, out);
    }

    public List<Statement> statements() {
        return statements;
    }

    public String origin() {
        return origin;
    }

    /**
     * Parses every statement as PolyBase DDL (what a versioned DDL file must hold).
     *
     * @throws ExternalException SYNTAX_ERROR naming line and column, also for a statement that is not DDL
     */
    public List<DdlStatement> parseAll(Placeholders placeholders) {
        List<DdlStatement> out = new ArrayList<>();
        for (Statement s : statements) {
            if (!s.isDdl()) {
                Token first = s.tokens.get(0);
                throw new ExternalException(ExternalErrorCode.SYNTAX_ERROR, "Cannot parse " + origin + " at line "
                        + first.line() + ", column " + first.column() + ": expected a PolyBase DDL statement (CREATE "
                        + "EXTERNAL …, CREATE DATABASE SCOPED CREDENTIAL, CREATE MASTER KEY, DROP EXTERNAL …), found "
                        + first.describe() + " (warehouse SQL belongs in migrations/sql/warehouse)");
            }
            out.addAll(s.parse(placeholders));
        }
        return out;
    }

    /** Shorthand for {@code split(text, origin).parseAll(placeholders)}. */
    public static List<DdlStatement> parseDdl(String text, String origin, Placeholders placeholders) {
        return split(text, origin).parseAll(placeholders);
    }

    /** The script's text with every SECRET = '…' and PASSWORD = '…' value replaced by {@code '***'}. */
    public static String mask(String text) {
        return Lexer.mask(requireNonNull(text, "text is null"));
    }

    /** One statement of a script. */
    public static final class Statement {
        private final String script;
        private final String origin;
        private final List<Token> tokens;
        private final String text;

        private Statement(String script, String origin, List<Token> tokens, Token terminator) {
            this.script = script;
            this.origin = origin;
            List<Token> withEof = new ArrayList<>(tokens);
            Token last = tokens.get(tokens.size() - 1);
            withEof.add(new Token(Token.Type.EOF, "", terminator.offset(), terminator.offset(), terminator.line(),
                    terminator.column(), false));
            this.tokens = List.copyOf(withEof);
            this.text = script.substring(tokens.get(0).offset(), last.end());
        }

        /** The statement as written, without its {@code ;}. May contain secrets: show {@link #maskedText()}. */
        public String text() {
            return text;
        }

        /** The text with SECRET / PASSWORD values replaced by {@code '***'}. */
        public String maskedText() {
            return Lexer.mask(text);
        }

        /** 1-based line of the first token. */
        public int line() {
            return tokens.get(0).line();
        }

        public int column() {
            return tokens.get(0).column();
        }

        /** True for PolyBase DDL (CREATE/DROP EXTERNAL …, credentials, master key, IF [NOT] EXISTS guards). */
        public boolean isDdl() {
            return Parser.isDdl(tokens);
        }

        /**
         * The DDL statements (one, or several written back to back without {@code ;}).
         *
         * @throws ExternalException SYNTAX_ERROR / INVALID_DEFINITION / PLACEHOLDER_MISSING naming line and column
         */
        public List<DdlStatement> parse(Placeholders placeholders) {
            return new Parser(script, origin, tokens, requireNonNull(placeholders, "placeholders is null"))
                    .statements();
        }

        @Override
        public String toString() {
            return maskedText();
        }
    }
}
