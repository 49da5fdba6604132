package org.wwi.external.ddl;

import org.wwi.external.DataSourceDef;
import org.wwi.external.DelimitedOptions;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ExternalType;
import org.wwi.external.FileFormatDef;
import org.wwi.external.RejectPolicy;
import org.wwi.external.ddl.DdlStatement.ObjectKind;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recursive-descent parser of PolyBase DDL over the tokens of one script chunk (the text
 * between {@code ;} / {@code GO} separators; several DDL statements may follow each other in a
 * chunk without {@code ;}, as T-SQL allows). The grammar is in docs/EXTERNAL-TABLES.md.
 */
final class Parser {
    private static final List<String> PARQUET_CODECS = List.of("org.apache.hadoop.io.compress.SnappyCodec",
            "org.apache.hadoop.io.compress.GzipCodec");
    private static final List<String> TEXT_CODECS = List.of("org.apache.hadoop.io.compress.DefaultCodec",
            "org.apache.hadoop.io.compress.GzipCodec");

    private final String src;
    private final String origin;
    private final List<Token> tokens;
    private final Placeholders placeholders;
    private int i;
    private String maskedSrc;

    /**
     * @param src    the whole script (for excerpts in messages)
     * @param tokens the chunk's tokens, ending with an EOF token
     */
    Parser(String src, String origin, List<Token> tokens, Placeholders placeholders) {
        this.src = src;
        this.origin = origin;
        this.tokens = tokens;
        this.placeholders = placeholders;
    }

    List<DdlStatement> statements() {
        List<DdlStatement> out = new ArrayList<>();
        while (peek().type() != Token.Type.EOF) {
            if (!out.isEmpty() && !isDdl(tokens.subList(i, tokens.size()))) {
                throw syntax(peek(), "end of statement (or ';' before the next one)");
            }
            out.add(statement());
        }
        return out;
    }

    /** Whether a chunk starting with {@code tokens} is PolyBase DDL (rather than SQL for the query engine). */
    static boolean isDdl(List<Token> t) {
        if (t.isEmpty()) {
            return false;
        }
        Token a = t.get(0);
        Token b = t.size() > 1 ? t.get(1) : null;
        Token c = t.size() > 2 ? t.get(2) : null;
        if (a.isWord("IF")) {
            return true;
        }
        if (b == null) {
            return false;
        }
        if (a.isWord("CREATE")) {
            return b.isWord("MASTER") || b.isWord("EXTERNAL") || (b.isWord("DATABASE") && c != null && c.isWord("SCOPED"));
        }
        if (a.isWord("ALTER")) {
            return b.isWord("DATABASE") && c != null && c.isWord("SCOPED");
        }
        if (a.isWord("DROP")) {
            return b.isWord("EXTERNAL") || (b.isWord("DATABASE") && c != null && c.isWord("SCOPED"));
        }
        return a.isWord("OPEN") && b.isWord("MASTER");
    }

    // ---------------------------------------------------------------------------------------------- statements

    private DdlStatement statement() {
        Token start = peek();
        if (acceptWord("IF")) {
            return conditional(start);
        }
        if (acceptWord("CREATE")) {
            if (acceptWord("MASTER")) {
                expectWord("KEY");
                Optional<SecretText> password = Optional.empty();
                if (acceptWord("ENCRYPTION")) {
                    expectWord("BY");
                    expectWord("PASSWORD");
                    expectSymbol("=");
                    password = Optional.of(secretValue("the password"));
                }
                return new DdlStatement.CreateMasterKey(span(start), password);
            }
            if (acceptWord("DATABASE")) {
                expectWord("SCOPED");
                expectWord("CREDENTIAL");
                return credential(start, false);
            }
            if (acceptWord("EXTERNAL")) {
                if (acceptWord("DATA")) {
                    expectWord("SOURCE");
                    return dataSource(start);
                }
                if (acceptWord("FILE")) {
                    expectWord("FORMAT");
                    return fileFormat(start);
                }
                if (acceptWord("TABLE")) {
                    return table(start);
                }
                throw syntax(peek(), "DATA SOURCE, FILE FORMAT or TABLE after CREATE EXTERNAL");
            }
            throw syntax(peek(), "MASTER KEY, DATABASE SCOPED CREDENTIAL or EXTERNAL after CREATE");
        }
        if (acceptWord("ALTER")) {
            expectWord("DATABASE");
            expectWord("SCOPED");
            expectWord("CREDENTIAL");
            return credential(start, true);
        }
        if (acceptWord("OPEN")) {
            expectWord("MASTER");
            expectWord("KEY");
            expectWord("DECRYPTION");
            expectWord("BY");
            expectWord("PASSWORD");
            expectSymbol("=");
            SecretText password = secretValue("the password");
            return new DdlStatement.OpenMasterKey(span(start), password);
        }
        if (acceptWord("DROP")) {
            return drop(start);
        }
        throw syntax(start, "CREATE, ALTER, DROP, OPEN or IF (a PolyBase DDL statement)");
    }

    private DdlStatement credential(Token start, boolean alter) {
        String name = identifier("a credential name");
        expectWord("WITH");
        expectWord("IDENTITY");
        expectSymbol("=");
        String identity = stringValue("the identity");
        Optional<SecretText> secret = Optional.empty();
        if (acceptSymbol(",")) {
            expectWord("SECRET");
            expectSymbol("=");
            secret = Optional.of(secretValue("the secret"));
        }
        return new DdlStatement.Credential(span(start), alter, name, identity, secret);
    }

    private DdlStatement drop(Token start) {
        if (acceptWord("DATABASE")) {
            expectWord("SCOPED");
            expectWord("CREDENTIAL");
            String name = identifier("a credential name");
            return new DdlStatement.Drop(span(start), ObjectKind.CREDENTIAL, Optional.empty(), name);
        }
        expectWord("EXTERNAL");
        if (acceptWord("DATA")) {
            expectWord("SOURCE");
            String name = identifier("a data source name");
            return new DdlStatement.Drop(span(start), ObjectKind.DATA_SOURCE, Optional.empty(), name);
        }
        if (acceptWord("FILE")) {
            expectWord("FORMAT");
            String name = identifier("a file format name");
            return new DdlStatement.Drop(span(start), ObjectKind.FILE_FORMAT, Optional.empty(), name);
        }
        if (acceptWord("TABLE")) {
            String[] name = tableName();
            return new DdlStatement.Drop(span(start), ObjectKind.TABLE, Optional.of(name[0]), name[1]);
        }
        throw syntax(peek(), "DATA SOURCE, FILE FORMAT or TABLE after DROP EXTERNAL");
    }

    private DdlStatement conditional(Token start) {
        boolean negated = acceptWord("NOT");
        expectWord("EXISTS");
        expectSymbol("(");
        expectWord("SELECT");
        while (!peek().isWord("FROM")) {
            if (peek().type() == Token.Type.EOF || peek().isSymbol(")")) {
                throw syntax(peek(), "FROM sys.<catalog view>");
            }
            i++;
        }
        expectWord("FROM");
        Token schemaToken = peek();
        String schema = identifier("sys");
        if (!schema.equalsIgnoreCase("sys")) {
            throw syntax(schemaToken, "a catalog view of schema sys");
        }
        expectSymbol(".");
        Token viewToken = peek();
        String view = identifier("a catalog view");
        ObjectKind kind = null;
        for (ObjectKind k : ObjectKind.values()) {
            if (k.catalogView().equalsIgnoreCase("sys." + view)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw syntax(viewToken, "one of " + java.util.Arrays.stream(ObjectKind.values())
                    .map(ObjectKind::catalogView).collect(Collectors.joining(", ")));
        }
        Optional<String> name = Optional.empty();
        if (acceptWord("WHERE")) {
            Token column = peek();
            if (!identifier("name").equalsIgnoreCase("name")) {
                throw syntax(column, "name (the only column a test may compare)");
            }
            expectSymbol("=");
            name = Optional.of(stringValue("the name"));
        }
        expectSymbol(")");
        if (kind == ObjectKind.MASTER_KEY) {
            name = Optional.empty();
        }
        Token thenStart = peek();
        if (thenStart.isWord("IF")) {
            throw syntax(thenStart, "a DDL statement (IF tests do not nest)");
        }
        DdlStatement then = statement();
        return new DdlStatement.Conditional(span(start), negated, kind, name, then);
    }

    // --------------------------------------------------------------------------------------------- data source

    private DdlStatement dataSource(Token start) {
        String name = identifier("a data source name");
        expectWord("WITH");
        String[] type = {"HADOOP"};
        URI[] location = {null};
        String[] credential = {null};
        Token[] locationToken = {null};
        Token close = options(List.of("TYPE", "LOCATION", "CREDENTIAL"), (option, at) -> {
            expectSymbol("=");
            switch (option) {
                case "TYPE" -> type[0] = choice("HADOOP or BLOB_STORAGE", "HADOOP", "BLOB_STORAGE");
                case "LOCATION" -> {
                    locationToken[0] = peek();
                    String value = stringValue("the location");
                    location[0] = uri(locationToken[0], value, "external data source " + name);
                }
                default -> credential[0] = identifier("a credential name");
            }
        });
        if (location[0] == null) {
            throw missing(close, "LOCATION", "external data source " + name);
        }
        String scheme = location[0].getScheme() == null ? "" : location[0].getScheme().toLowerCase(Locale.ROOT);
        if (!DataSourceDef.SCHEMES.contains(scheme)) {
            throw new ExternalException(ExternalErrorCode.UNSUPPORTED_LOCATION, "Cannot create external data source "
                    + name + ": LOCATION '" + location[0] + "' " + (scheme.isEmpty() ? "has no scheme" : "has scheme "
                    + scheme) + " (" + where(locationToken[0]) + "; use file:///path, abfss://container@account"
                    + ".dfs.core.windows.net/path, abfs://…, wasbs://container@account.blob.core.windows.net/path or "
                    + "wasb://…)");
        }
        if (scheme.equals("file") && (location[0].getPath() == null || !location[0].getPath().startsWith("/")
                || (location[0].getAuthority() != null && !location[0].getAuthority().isEmpty()))) {
            throw new ExternalException(ExternalErrorCode.UNSUPPORTED_LOCATION, "Cannot create external data source "
                    + name + ": LOCATION '" + location[0] + "' is not an absolute file URI (" + where(locationToken[0])
                    + "; write file:///absolute/path, three slashes)");
        }
        if (!scheme.equals("file") && (location[0].getRawAuthority() == null
                || !location[0].getRawAuthority().contains("@"))) {
            throw new ExternalException(ExternalErrorCode.UNSUPPORTED_LOCATION, "Cannot create external data source "
                    + name + ": LOCATION '" + location[0] + "' names no container (" + where(locationToken[0])
                    + "; write " + scheme + "://container@account." + (scheme.startsWith("abfs") ? "dfs" : "blob")
                    + ".core.windows.net/path)");
        }
        DataSourceDef def = build(start, "external data source " + name,
                () -> new DataSourceDef(name, type[0], location[0], Optional.ofNullable(credential[0])));
        return new DdlStatement.CreateDataSource(span(start), def);
    }

    // --------------------------------------------------------------------------------------------- file format

    private DdlStatement fileFormat(Token start) {
        String name = identifier("a file format name");
        expectWord("WITH");
        FileFormatDef.FormatType[] type = {null};
        Token[] optionsToken = {null};
        DelimitedOptions[] options = {DelimitedOptions.DEFAULT};
        String[] compression = {null};
        Token[] compressionToken = {null};
        Token close = options(List.of("FORMAT_TYPE", "FORMAT_OPTIONS", "DATA_COMPRESSION"), (option, at) -> {
            switch (option) {
                case "FORMAT_TYPE" -> {
                    expectSymbol("=");
                    Token t = peek();
                    String v = identifier("PARQUET or DELIMITEDTEXT").toUpperCase(Locale.ROOT);
                    if (v.equals("PARQUET")) {
                        type[0] = FileFormatDef.FormatType.PARQUET;
                    } else if (v.equals("DELIMITEDTEXT")) {
                        type[0] = FileFormatDef.FormatType.DELIMITEDTEXT;
                    } else if (List.of("RCFILE", "ORC", "JSON", "DELTA").contains(v)) {
                        throw invalid(t, "Cannot create external file format " + name + ": FORMAT_TYPE = " + v
                                + " is not supported (use PARQUET or DELIMITEDTEXT)");
                    } else {
                        throw syntax(t, "PARQUET or DELIMITEDTEXT");
                    }
                }
                case "FORMAT_OPTIONS" -> {
                    optionsToken[0] = at;
                    options[0] = formatOptions(name, at);
                }
                default -> {
                    expectSymbol("=");
                    compressionToken[0] = peek();
                    compression[0] = stringValue("a codec class name");
                }
            }
        });
        if (type[0] == null) {
            throw missing(close, "FORMAT_TYPE", "external file format " + name);
        }
        if (type[0] == FileFormatDef.FormatType.PARQUET && optionsToken[0] != null) {
            throw invalid(optionsToken[0], "Cannot create external file format " + name
                    + ": FORMAT_OPTIONS apply only to FORMAT_TYPE = DELIMITEDTEXT");
        }
        if (compression[0] != null) {
            List<String> codecs = type[0] == FileFormatDef.FormatType.PARQUET ? PARQUET_CODECS : TEXT_CODECS;
            if (!codecs.contains(compression[0])) {
                throw invalid(compressionToken[0], "Cannot create external file format " + name + ": DATA_COMPRESSION '"
                        + compression[0] + "' is not supported for " + type[0] + " (use " + String.join(" or ", codecs)
                        .replace("org.", "'org.").replace("Codec", "Codec'") + ")");
            }
        }
        FileFormatDef def = build(start, "external file format " + name,
                () -> new FileFormatDef(name, type[0], options[0], Optional.ofNullable(compression[0])));
        return new DdlStatement.CreateFileFormat(span(start), def);
    }

    private DelimitedOptions formatOptions(String formatName, Token at) {
        String[] terminator = {DelimitedOptions.DEFAULT.fieldTerminator()};
        Character[] delimiter = {null};
        int[] firstRow = {1};
        String[] dateFormat = {null};
        boolean[] useTypeDefault = {false};
        Charset[] encoding = {StandardCharsets.UTF_8};
        String what = "external file format " + formatName;
        options(List.of("FIELD_TERMINATOR", "STRING_DELIMITER", "FIRST_ROW", "DATE_FORMAT", "USE_TYPE_DEFAULT",
                "ENCODING"), (option, t) -> {
            expectSymbol("=");
            Token v = peek();
            switch (option) {
                case "FIELD_TERMINATOR" -> {
                    terminator[0] = unescape(stringValue("the field terminator"));
                    if (terminator[0].isEmpty()) {
                        throw invalid(v, "Cannot create " + what + ": FIELD_TERMINATOR is empty (write e.g. '|')");
                    }
                }
                case "STRING_DELIMITER" -> {
                    String s = unescape(stringValue("the string delimiter"));
                    if (s.length() > 1) {
                        throw invalid(v, "Cannot create " + what + ": STRING_DELIMITER must be one character, not '"
                                + s + "'");
                    }
                    delimiter[0] = s.isEmpty() ? null : s.charAt(0);
                }
                case "FIRST_ROW" -> {
                    long n = integer("a row number");
                    if (n < 1 || n > Integer.MAX_VALUE) {
                        throw invalid(v, "Cannot create " + what + ": FIRST_ROW must be 1 or more, not " + n);
                    }
                    firstRow[0] = (int) n;
                }
                case "DATE_FORMAT" -> dateFormat[0] = stringValue("a date format");
                case "USE_TYPE_DEFAULT" -> useTypeDefault[0] = bool();
                default -> {
                    String enc = stringValue("'UTF8' or 'UTF16'").toUpperCase(Locale.ROOT).replace("-", "");
                    if (enc.equals("UTF8")) {
                        encoding[0] = StandardCharsets.UTF_8;
                    } else if (enc.equals("UTF16")) {
                        encoding[0] = StandardCharsets.UTF_16;
                    } else {
                        throw invalid(v, "Cannot create " + what + ": ENCODING must be 'UTF8' or 'UTF16', not '"
                                + enc + "'");
                    }
                }
            }
        });
        return build(at, what, () -> new DelimitedOptions(terminator[0], Optional.ofNullable(delimiter[0]), firstRow[0],
                Optional.ofNullable(dateFormat[0]), useTypeDefault[0], encoding[0]));
    }

    /** {@code \t} is a tab, {@code \n} a newline, {@code \\} a backslash, {@code 0xNN} one character of that code. */
    static String unescape(String s) {
        if (s.matches("0[xX][0-9a-fA-F]{2,4}")) {
            return String.valueOf((char) Integer.parseInt(s.substring(2), 16));
        }
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < s.length()) {
                char n = s.charAt(k + 1);
                if (n == 't' || n == 'n' || n == 'r' || n == '\\') {
                    b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : '\\');
                    k++;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    // -------------------------------------------------------------------------------------------------- table

    private DdlStatement table(Token start) {
        String[] qualified = tableName();
        String tableWhat = "external table " + qualified[0] + "." + qualified[1];
        expectSymbol("(");
        List<ExternalColumn> columns = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        do {
            Token columnToken = peek();
            String column = identifier("a column name");
            if (!names.add(column.toLowerCase(Locale.ROOT))) {
                throw invalid(columnToken, "Cannot create " + tableWhat + ": column " + column + " is declared twice");
            }
            ExternalType type = type(tableWhat, column);
            if (acceptWord("COLLATE")) {
                identifier("a collation name");
            }
            boolean nullable = true;
            if (acceptWord("NOT")) {
                expectWord("NULL");
                nullable = false;
            } else {
                acceptWord("NULL");
            }
            columns.add(new ExternalColumn(column, type, nullable, false));
        } while (acceptSymbol(","));
        if (!acceptSymbol(")")) {
            throw syntax(peek(), "',' or ')' after a column");
        }
        expectWord("WITH");
        String[] location = {null};
        String[] dataSource = {null};
        String[] fileFormat = {null};
        String[] rejectType = {"VALUE"};
        Token[] rejectToken = {null};
        Double[] rejectValue = {null};
        Long[] sample = {null};
        Map<String, String> extra = new LinkedHashMap<>();
        List<String> partitions = new ArrayList<>();
        Token[] partitionToken = {null};
        Token close = options(List.of("LOCATION", "DATA_SOURCE", "FILE_FORMAT", "REJECT_TYPE", "REJECT_VALUE",
                "REJECT_SAMPLE_VALUE", "REJECTED_ROW_LOCATION", "PARTITION_COLUMNS", "REQUIRE_SUCCESS_FILE"),
                (option, at) -> {
                    expectSymbol("=");
                    switch (option) {
                        case "LOCATION" -> location[0] = stringValue("the location");
                        case "DATA_SOURCE" -> dataSource[0] = identifier("a data source name");
                        case "FILE_FORMAT" -> fileFormat[0] = identifier("a file format name");
                        case "REJECT_TYPE" -> {
                            rejectToken[0] = at;
                            rejectType[0] = choice("VALUE or PERCENTAGE", "VALUE", "PERCENTAGE");
                        }
                        case "REJECT_VALUE" -> rejectValue[0] = decimal("a number of rows or a percentage");
                        case "REJECT_SAMPLE_VALUE" -> sample[0] = integer("a number of rows");
                        case "REJECTED_ROW_LOCATION" -> extra.put(option, stringValue("a folder"));
                        case "PARTITION_COLUMNS" -> {
                            partitionToken[0] = at;
                            expectSymbol("(");
                            do {
                                partitions.add(identifier("a column name"));
                            } while (acceptSymbol(","));
                            expectSymbol(")");
                        }
                        default -> extra.put(option, bool() ? "TRUE" : "FALSE");
                    }
                });
        if (location[0] == null) {
            throw missing(close, "LOCATION", tableWhat);
        }
        if (dataSource[0] == null) {
            throw missing(close, "DATA_SOURCE", tableWhat);
        }
        if (fileFormat[0] == null) {
            throw missing(close, "FILE_FORMAT", tableWhat);
        }
        RejectPolicy reject = build(rejectToken[0] == null ? start : rejectToken[0], tableWhat, () -> {
            double v = rejectValue[0] == null ? 0 : rejectValue[0];
            if (rejectType[0].equals("VALUE")) {
                if (sample[0] != null) {
                    throw new IllegalArgumentException("REJECT_SAMPLE_VALUE is only allowed with REJECT_TYPE = "
                            + "PERCENTAGE");
                }
                return new RejectPolicy(RejectPolicy.RejectType.VALUE, v, OptionalLong.empty());
            }
            return new RejectPolicy(RejectPolicy.RejectType.PERCENTAGE, v,
                    sample[0] == null ? OptionalLong.empty() : OptionalLong.of(sample[0]));
        });
        if (!partitions.isEmpty()) {
            List<ExternalColumn> marked = new ArrayList<>();
            Set<String> wanted = new LinkedHashSet<>();
            for (String p : partitions) {
                if (!wanted.add(p.toLowerCase(Locale.ROOT))) {
                    throw invalid(partitionToken[0], "Cannot create " + tableWhat + ": PARTITION_COLUMNS names "
                            + p + " twice");
                }
                if (columns.stream().noneMatch(c -> c.hasName(p))) {
                    throw invalid(partitionToken[0], "Cannot create " + tableWhat + ": partition column " + p
                            + " is not declared (declare it among the columns, e.g. " + p + " DATE)");
                }
            }
            for (ExternalColumn c : columns) {
                boolean isPartition = wanted.contains(c.name().toLowerCase(Locale.ROOT));
                marked.add(new ExternalColumn(c.name(), c.type(), c.nullable(), isPartition));
            }
            columns = marked;
            extra.put(ExternalTableDef.PARTITION_COLUMNS, partitions.stream()
                    .map(p -> columnsName(marked, p)).collect(Collectors.joining(",")));
        }
        List<ExternalColumn> finalColumns = columns;
        ExternalTableDef def = build(start, tableWhat, () -> new ExternalTableDef(qualified[0], qualified[1],
                finalColumns, location[0], dataSource[0], fileFormat[0], reject, extra));
        return new DdlStatement.CreateExternalTable(span(start), def);
    }

    private static String columnsName(List<ExternalColumn> columns, String name) {
        return columns.stream().filter(c -> c.hasName(name)).findFirst().map(ExternalColumn::name).orElse(name);
    }

    private ExternalType type(String tableWhat, String column) {
        Token t = peek();
        String typeName = identifier("a type");
        ExternalType.Kind kind = ExternalType.Kind.fromName(typeName).orElseThrow(() -> invalid(t, "Cannot create "
                + tableWhat + ": column " + column + " has type " + typeName + ", which external tables do not "
                + "support (use one of " + java.util.Arrays.stream(ExternalType.Kind.values()).map(Enum::name)
                .collect(Collectors.joining(", ")) + ")"));
        List<Integer> args = new ArrayList<>();
        if (acceptSymbol("(")) {
            do {
                if (acceptWord("MAX")) {
                    args.add(ExternalType.MAX);
                } else {
                    long n = integer("a length, precision or MAX");
                    args.add((int) Math.min(n, Integer.MAX_VALUE));
                }
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        int[] a = args.stream().mapToInt(Integer::intValue).toArray();
        return build(t, tableWhat, () -> {
            try {
                return ExternalType.of(kind, a);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column " + column + ": " + e.getMessage(), e);
            }
        });
    }

    /** {@code name}, {@code schema.name}; a database part is refused. Returns {schema, name}, schema dbo by default. */
    private String[] tableName() {
        Token first = peek();
        List<String> parts = new ArrayList<>();
        parts.add(identifier("a table name"));
        while (acceptSymbol(".")) {
            parts.add(identifier("a name after '.'"));
        }
        if (parts.size() > 2) {
            throw invalid(first, "Cannot use table name " + String.join(".", parts) + ": external tables are named "
                    + "schema.name (the database is the one wwi is connected to)");
        }
        return parts.size() == 1 ? new String[] {"dbo", parts.get(0)} : new String[] {parts.get(0), parts.get(1)};
    }

    // ---------------------------------------------------------------------------------------------- option lists

    private interface OptionHandler {
        void handle(String option, Token at);
    }

    /** {@code ( OPTION … [, OPTION …]* )}; returns the closing parenthesis (for "missing option" messages). */
    private Token options(List<String> allowed, OptionHandler handler) {
        expectSymbol("(");
        Set<String> seen = new LinkedHashSet<>();
        do {
            Token at = peek();
            if (at.type() != Token.Type.WORD || !allowed.contains(at.value().toUpperCase(Locale.ROOT))) {
                throw syntax(at, "one of " + String.join(", ", allowed));
            }
            String option = at.value().toUpperCase(Locale.ROOT);
            if (!seen.add(option)) {
                throw invalid(at, "Cannot use option " + option + " twice (" + where(at) + ")");
            }
            i++;
            handler.handle(option, at);
        } while (acceptSymbol(","));
        Token close = peek();
        if (!close.isSymbol(")")) {
            throw syntax(close, "',' or ')'");
        }
        i++;
        return close;
    }

    // ---------------------------------------------------------------------------------------------------- values

    private String identifier(String what) {
        Token t = peek();
        if (!t.isIdentifier()) {
            throw syntax(t, what);
        }
        i++;
        return t.value();
    }

    private String choice(String what, String... words) {
        Token t = peek();
        for (String w : words) {
            if (t.isWord(w)) {
                i++;
                return w;
            }
        }
        throw syntax(t, what);
    }

    private boolean bool() {
        return choice("TRUE or FALSE", "TRUE", "FALSE").equals("TRUE");
    }

    private long integer(String what) {
        Token t = peek();
        if (t.type() != Token.Type.NUMBER || !t.value().chars().allMatch(Character::isDigit)) {
            throw syntax(t, what + " (a whole number)");
        }
        i++;
        try {
            return Long.parseLong(t.value());
        } catch (NumberFormatException e) {
            throw invalid(t, "Cannot use number " + t.value() + ": it is too large (" + where(t) + ")");
        }
    }

    private double decimal(String what) {
        Token t = peek();
        if (t.type() != Token.Type.NUMBER) {
            throw syntax(t, what);
        }
        i++;
        return Double.parseDouble(t.value());
    }

    /** Like {@link #stringValue}, but placeholders and ENV('…') are resolved only when the secret is used. */
    private SecretText secretValue(String what) {
        Token t = peek();
        if (t.type() == Token.Type.STRING) {
            i++;
            return t.value().contains("${") ? SecretText.deferred(() -> expand(t)) : SecretText.of(t.value());
        }
        if (t.isWord("ENV") && peekAt(1).isSymbol("(")) {
            i += 2;
            Token nameToken = peek();
            if (nameToken.type() != Token.Type.STRING) {
                throw syntax(nameToken, "the name of an environment variable as a string, e.g. ENV('AZURE_KEY')");
            }
            i++;
            expectSymbol(")");
            return SecretText.deferred(() -> placeholder(nameToken, "env:" + nameToken.value()));
        }
        throw syntax(t, what + " as a string in single quotes");
    }

    /** A string literal (placeholders expanded) or {@code ENV('NAME')}. */
    private String stringValue(String what) {
        Token t = peek();
        if (t.type() == Token.Type.STRING) {
            i++;
            return expand(t);
        }
        if (t.isWord("ENV") && peekAt(1).isSymbol("(")) {
            i += 2;
            Token nameToken = peek();
            if (nameToken.type() != Token.Type.STRING) {
                throw syntax(nameToken, "the name of an environment variable as a string, e.g. ENV('AZURE_KEY')");
            }
            i++;
            expectSymbol(")");
            return placeholder(nameToken, "env:" + nameToken.value());
        }
        throw syntax(t, what + " as a string in single quotes");
    }

    private String expand(Token t) {
        String v = t.value();
        if (!v.contains("${")) {
            return v;
        }
        StringBuilder b = new StringBuilder();
        int k = 0;
        while (k < v.length()) {
            if (v.startsWith("$${", k)) {
                b.append("${");
                k += 3;
            } else if (v.startsWith("${", k)) {
                int close = v.indexOf('}', k);
                if (close < 0) {
                    throw invalid(t, "Cannot read placeholder in string at " + where(t) + ": '${' has no closing '}' "
                            + "(write $${ for a literal ${)");
                }
                b.append(placeholder(t, v.substring(k + 2, close).strip()));
                k = close + 1;
            } else {
                b.append(v.charAt(k++));
            }
        }
        return b.toString();
    }

    private String placeholder(Token at, String name) {
        return placeholders.value(name).orElseThrow(() -> new ExternalException(ExternalErrorCode.PLACEHOLDER_MISSING,
                "Cannot resolve " + (name.startsWith("env:") ? "environment variable " + name.substring(4)
                        : "placeholder ${" + name + "}") + " at " + where(at) + " ("
                        + (name.startsWith("env:") ? "set " + name.substring(4) + " in the environment of wwi"
                        : "known placeholders: wwi.lake, wwi.home, or ${env:NAME} for environment variables") + ")"));
    }

    private URI uri(Token at, String value, String what) {
        try {
            URI u = new URI(value);
            if (!u.isAbsolute()) {
                throw new ExternalException(ExternalErrorCode.UNSUPPORTED_LOCATION, "Cannot create " + what
                        + ": LOCATION '" + value + "' has no scheme (" + where(at) + "; write file:///path or "
                        + "abfss://container@account.dfs.core.windows.net/path)");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ExternalException(ExternalErrorCode.UNSUPPORTED_LOCATION, "Cannot create " + what + ": LOCATION '"
                    + value + "' is not a valid URI (" + where(at) + ": " + e.getReason() + "; encode spaces as %20)");
        }
    }

    // ----------------------------------------------------------------------------------------------- token access

    private Token peek() {
        return tokens.get(i);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(i + ahead, tokens.size() - 1));
    }

    private boolean acceptWord(String word) {
        if (peek().isWord(word)) {
            i++;
            return true;
        }
        return false;
    }

    private void expectWord(String word) {
        if (!acceptWord(word)) {
            throw syntax(peek(), word);
        }
    }

    private boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            i++;
            return true;
        }
        return false;
    }

    private void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw syntax(peek(), "'" + symbol + "'");
        }
    }

    private DdlStatement.Span span(Token start) {
        Token last = tokens.get(Math.max(i - 1, 0));
        return new DdlStatement.Span(origin, start.line(), start.column(),
                Lexer.mask(src.substring(start.offset(), Math.max(last.end(), start.offset()))));
    }

    // ---------------------------------------------------------------------------------------------------- errors

    private <T> T build(Token at, String what, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw invalid(at, "Cannot create " + what + ": " + e.getMessage() + " (" + where(at) + ")");
        }
    }

    private String where(Token at) {
        return origin + " line " + at.line() + ", column " + at.column();
    }

    private ExternalException invalid(Token at, String message) {
        return new ExternalException(ExternalErrorCode.INVALID_DEFINITION, message + excerpt(at));
    }

    private ExternalException missing(Token close, String option, String what) {
        return new ExternalException(ExternalErrorCode.INVALID_DEFINITION, "Cannot create " + what + ": option "
                + option + " is missing (" + where(close) + "; add " + option + " = …)" + excerpt(close));
    }

    private ExternalException syntax(Token at, String expected) {
        return new ExternalException(ExternalErrorCode.SYNTAX_ERROR, "Cannot parse " + origin + " at line " + at.line()
                + ", column " + at.column() + ": expected " + expected + ", found " + at.describe() + excerpt(at));
    }

    /** The masked source line of {@code at} with a caret under its column. */
    private String excerpt(Token at) {
        if (maskedSrc == null) {
            maskedSrc = Lexer.mask(src);
        }
        String[] lines = maskedSrc.split("\n", -1);
        if (at.line() < 1 || at.line() > lines.length) {
            return "";
        }
        String text = lines[at.line() - 1].replace("\r", "").replace('\t', ' ');
        String number = String.valueOf(at.line());
        int shift = 0;
        for (Token t : tokens) {
            if (t.sensitive() && t.line() == at.line() && t.end() <= at.offset()) {
                shift += (t.end() - t.offset()) - "'***'".length();
            }
        }
        int caret = Math.max(0, Math.min(at.column() - 1 - shift, text.length()));
        return "\n  " + number + " | " + text + "\n  " + " ".repeat(number.length()) + " | " + " ".repeat(caret) + "^";
    }
}
