package org.wwi.external.query;

import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.Table;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.wwi.external.Catalog;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalSql;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ResolvedTable;
import org.wwi.external.load.ColumnMapping;
import org.wwi.external.load.LoadResult;
import org.wwi.external.load.Loader;
import org.wwi.external.load.TargetTable;
import org.wwi.external.read.Rejects;
import org.wwi.external.storage.Storage;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.platform.WwiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Runs the non-DDL statements of {@code wwi sql}: statements that name an external table
 * ({@code schema.table} of the catalog) go through Calcite, over a schema per external schema
 * plus a JDBC schema per warehouse schema (pushed down to PostgreSQL); {@code INSERT INTO … SELECT}
 * and CTAS from external tables stream into PostgreSQL with binary COPY in one transaction;
 * everything else goes to PostgreSQL as written.
 */
final class QuerySession implements ExternalSql {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema", "pg_toast");

    private final Catalog catalog;
    private final DataSource warehouse;

    QuerySession(Catalog catalog, Database database) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.warehouse = requireNonNull(database, "database is null").dataSource();
    }

    @Override
    public Result execute(String statement, Progress progress) {
        requireNonNull(statement, "statement is null");
        requireNonNull(progress, "progress is null");
        String written = statement.strip();
        while (written.endsWith(";")) {
            written = written.substring(0, written.length() - 1).strip();
        }
        SqlText.Prepared prepared = SqlText.prepare(written);
        Result r = route(prepared.sql(), prepared.label(), progress);
        for (String notice : prepared.notices()) {
            r = r.withNotice(notice);
        }
        return r;
    }

    private Result route(String sql, Optional<String> label, Progress progress) {
        List<SqlText.Token> tokens = SqlText.tokens(sql);
        if (tokens.isEmpty()) {
            return Result.ofCount(0);
        }
        Map<String, List<ExternalTableDef>> schemas = externalSchemas();
        boolean external = SqlText.references(tokens, schemas.keySet());
        SqlText.Token first = tokens.get(0);
        if (!external) {
            return postgres(sql);
        }
        if (first.is("SELECT") || first.is("WITH") || first.is("VALUES")) {
            return query(sql, schemas);
        }
        if (first.is("EXPLAIN")) {
            return explain(sql, tokens, schemas);
        }
        if (first.is("INSERT")) {
            return insert(sql, tokens, schemas, label, progress);
        }
        if (first.is("CREATE") && tokens.size() > 1 && tokens.get(1).is("TABLE")) {
            return ctas(sql, tokens, schemas, label, progress);
        }
        throw new ExternalException(ExternalErrorCode.QUERY_FAILED, "Cannot run statement on external tables: "
                + abbreviate(sql) + " (external tables support SELECT, EXPLAIN, INSERT INTO … SELECT and CREATE TABLE "
                + "… AS SELECT)");
    }

    @Override
    public void close() {
    }

    // ---------------------------------------------------------------------------------------
    // Calcite

    private Map<String, List<ExternalTableDef>> externalSchemas() {
        Map<String, List<ExternalTableDef>> m = new LinkedHashMap<>();
        for (ExternalTableDef t : catalog.tables()) {
            m.computeIfAbsent(t.schema().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(t);
        }
        return m;
    }

    /** A Calcite connection and the one warehouse session its JDBC schemas share; closing closes both. */
    record Calcite(Connection connection, StatementConnection warehouse) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            try {
                connection.close();
            } finally {
                warehouse.close();
            }
        }
    }

    /** A fresh Calcite connection over the current catalog and the warehouse schemas. */
    Calcite calcite(Map<String, List<ExternalTableDef>> schemas) throws SQLException {
        return calcite(schemas, null);
    }

    /**
     * @param statementRejects where the scans of external tables hand their rejected rows when done
     *                         (a load records them), or null
     */
    Calcite calcite(Map<String, List<ExternalTableDef>> schemas, Rejects statementRejects) throws SQLException {
        Properties p = new Properties();
        p.setProperty("caseSensitive", "false");
        p.setProperty("unquotedCasing", "UNCHANGED");
        p.setProperty("quotedCasing", "UNCHANGED");
        p.setProperty("quoting", "DOUBLE_QUOTE");
        p.setProperty("timeZone", "UTC");
        p.setProperty("conformance", "LENIENT");
        StatementConnection session = new StatementConnection(warehouse);
        Calcite calcite = new Calcite(DriverManager.getConnection("jdbc:calcite:", p), session);
        try {
            SchemaPlus root = calcite.connection().unwrap(CalciteConnection.class).getRootSchema();
            for (String pg : warehouseSchemas(session)) {
                if (!schemas.containsKey(pg.toLowerCase(Locale.ROOT))) {
                    JdbcConvention convention = JdbcConvention.of(PostgresqlSqlDialect.DEFAULT,
                            Schemas.subSchemaExpression(root, pg, JdbcSchema.class), pg);
                    root.add(pg, new JdbcSchema(session, PostgresqlSqlDialect.DEFAULT, convention, null, pg));
                }
            }
            for (Map.Entry<String, List<ExternalTableDef>> e : schemas.entrySet()) {
                Map<String, Table> tables = new HashMap<>();
                String name = e.getValue().get(0).schema();
                for (ExternalTableDef t : e.getValue()) {
                    tables.put(t.name(), new ExternalCalciteTable(catalog, catalog.resolved(t.schema(), t.name()),
                            statementRejects));
                }
                root.add(name, new ExternalSchema(tables));
            }
            return calcite;
        } catch (SQLException | RuntimeException e) {
            calcite.close();
            throw e;
        }
    }

    private static List<String> warehouseSchemas(DataSource warehouse) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = warehouse.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select nspname from pg_namespace where nspname not like 'pg\\_%' "
                     + "and nspname <> 'information_schema' order by 1")) {
            while (rs.next()) {
                if (!SYSTEM_SCHEMAS.contains(rs.getString(1))) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private Result query(String sql, Map<String, List<ExternalTableDef>> schemas) {
        try (Calcite c = calcite(schemas); Statement st = c.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        } catch (SQLException | RuntimeException e) {
            throw queryFailure(sql, e);
        }
    }

    private Result explain(String sql, List<SqlText.Token> tokens, Map<String, List<ExternalTableDef>> schemas) {
        String body = sql;
        if (tokens.size() > 1 && !tokens.get(1).is("PLAN")) {
            body = "EXPLAIN PLAN FOR " + sql.substring(tokens.get(1).start());
        }
        try (Calcite c = calcite(schemas); Statement st = c.connection().createStatement(); ResultSet rs = st.executeQuery(body)) {
            List<List<Object>> lines = new ArrayList<>();
            while (rs.next()) {
                for (String line : rs.getString(1).split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(List.of(line));
                    }
                }
            }
            return Result.ofRows(List.of("PLAN"), lines);
        } catch (SQLException | RuntimeException e) {
            throw queryFailure(sql, e);
        }
    }

    private static Result rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(value(rs, i, md.getColumnType(i)));
            }
            rows.add(row);
        }
        return Result.ofRows(columns, rows);
    }

    /** A JDBC value as the java.time / java.math value the rest of the project uses (Calcite's times are UTC). */
    static Object value(ResultSet rs, int i, int sqlType) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        if (v instanceof java.sql.Timestamp t) {
            return LocalDateTime.ofEpochSecond(Math.floorDiv(t.getTime(), 1000), t.getNanos(), ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Date d) {
            return LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L));
        }
        if (v instanceof java.sql.Time t) {
            return java.time.LocalTime.ofNanoOfDay(Math.floorMod(t.getTime(), 86_400_000L) * 1_000_000L);
        }
        if (sqlType == Types.TINYINT && v instanceof Byte b) {
            return (short) b;
        }
        return v;
    }

    private RuntimeException queryFailure(String sql, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WwiException w) {
                return w;
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + ": " + root.getMessage();
        }
        return new ExternalException(ExternalErrorCode.QUERY_FAILED, "Cannot run query " + abbreviate(sql) + ": "
                + message.strip() + " (check table and column names; external tables are listed by `wwi sql "
                + "\"select …\"` on the catalog)", e);
    }

    private static String abbreviate(String sql) {
        String one = sql.replaceAll("\\s+", " ");
        return one.length() > 120 ? one.substring(0, 117) + "…" : one;
    }

    // ---------------------------------------------------------------------------------------
    // PostgreSQL pass-through

    private Result postgres(String sql) {
        try (Connection c = warehouse.getConnection(); Statement st = c.createStatement()) {
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    return rows(rs);
                }
            }
            return Result.ofCount(Math.max(0, st.getUpdateCount()));
        } catch (SQLException e) {
            throw new ExternalException(ExternalErrorCode.QUERY_FAILED, "Cannot run statement " + abbreviate(sql)
                    + " on PostgreSQL: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Loads

    /** {@code INSERT INTO name [(columns)] query}. */
    private Result insert(String sql, List<SqlText.Token> tokens, Map<String, List<ExternalTableDef>> schemas,
                          Optional<String> label, Progress progress) {
        int i = 1;
        if (i >= tokens.size() || !tokens.get(i).is("INTO")) {
            throw syntax(sql, "INSERT INTO <table> [(<columns>)] SELECT …");
        }
        i++;
        String[] name = new String[2];
        i = qualifiedName(tokens, i, name, sql);
        List<String> columns = new ArrayList<>();
        if (i < tokens.size() && tokens.get(i).isPunct('(')) {
            i++;
            while (i < tokens.size() && !tokens.get(i).isPunct(')')) {
                SqlText.Token t = tokens.get(i);
                if (t.kind() == SqlText.Kind.WORD || t.kind() == SqlText.Kind.QUOTED) {
                    columns.add(t.kind() == SqlText.Kind.QUOTED ? "\"" + t.text() + "\"" : t.text());
                }
                i++;
            }
            i++;
        }
        if (i >= tokens.size()) {
            throw syntax(sql, "INSERT INTO <table> [(<columns>)] SELECT …");
        }
        String query = sql.substring(tokens.get(i).start());
        try (Connection tx = warehouse.getConnection()) {
            tx.setAutoCommit(false);
            try {
                label(tx, label);
                TargetTable target = TargetTable.describe(tx, name[0] == null ? "public" : name[0], name[1]);
                List<String> targetColumns = columns.isEmpty()
                        ? target.columns().stream().map(TargetTable.Column::name).toList()
                        : columns.stream().map(c -> target.column(unquote(c)).map(TargetTable.Column::name)
                        .orElseThrow(() -> new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot insert "
                                + "into " + target.qualifiedName() + ": it has no column " + c))).toList();
                Loaded loaded = load(tx, query, schemas, target, targetColumns, "INSERT", progress);
                tx.commit();
                return loaded.result();
            } catch (RuntimeException | SQLException e) {
                tx.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ExternalException(ExternalErrorCode.LOAD_FAILED, "Cannot run " + abbreviate(sql) + ": "
                    + e.getMessage() + " (nothing was loaded)", e);
        }
    }

    /** {@code CREATE TABLE name [WITH (DISTRIBUTION = …, …)] AS query}. */
    private Result ctas(String sql, List<SqlText.Token> tokens, Map<String, List<ExternalTableDef>> schemas,
                        Optional<String> label, Progress progress) {
        String[] name = new String[2];
        int i = qualifiedName(tokens, 2, name, sql);
        Distribution distribution = Distribution.NONE;
        List<String> notices = new ArrayList<>();
        if (i < tokens.size() && tokens.get(i).is("WITH")) {
            i++;
            if (i >= tokens.size() || !tokens.get(i).isPunct('(')) {
                throw syntax(sql, "CREATE TABLE <table> WITH (DISTRIBUTION = HASH(<column>) | ROUND_ROBIN | REPLICATE) "
                        + "AS SELECT …");
            }
            int depth = 0;
            int start = i;
            do {
                if (tokens.get(i).isPunct('(')) {
                    depth++;
                } else if (tokens.get(i).isPunct(')')) {
                    depth--;
                }
                i++;
            } while (depth > 0 && i < tokens.size());
            Distribution.Parsed parsed = Distribution.parse(tokens.subList(start + 1, i - 1), sql);
            distribution = parsed.distribution();
            notices.addAll(parsed.notices());
        }
        if (i >= tokens.size() || !tokens.get(i).is("AS")) {
            throw syntax(sql, "CREATE TABLE <table> [WITH (DISTRIBUTION = …)] AS SELECT …");
        }
        String query = sql.substring(tokens.get(i + 1).start());
        String schema = name[0] == null ? "public" : name[0];
        try (Connection tx = warehouse.getConnection()) {
            tx.setAutoCommit(false);
            try {
                label(tx, label);
                List<String[]> columns = resultColumns(query, schemas);
                String create = "create table " + quoteName(schema) + "." + quoteName(name[1]) + " ("
                        + columns.stream().map(c -> quoteName(c[0]) + " " + c[1]).collect(Collectors.joining(", "))
                        + ")";
                try (Statement st = tx.createStatement()) {
                    st.execute(create);
                }
                TargetTable target = TargetTable.describe(tx, schema, name[1]);
                List<String> targetColumns = target.columns().stream().map(TargetTable.Column::name).toList();
                Loaded loaded = load(tx, query, schemas, target, targetColumns, "CTAS", progress);
                notices.addAll(distribution.apply(tx, target));
                tx.commit();
                Result r = loaded.result();
                for (String n : notices) {
                    r = r.withNotice(n);
                }
                return r;
            } catch (RuntimeException | SQLException e) {
                tx.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ExternalException(ExternalErrorCode.LOAD_FAILED, "Cannot run " + abbreviate(sql) + ": "
                    + e.getMessage() + " (nothing was created or loaded)", e);
        }
    }

    /**
     * T-SQL's {@code OPTION (LABEL = '…')} names a load in Synapse's request views; here it becomes the
     * session's {@code application_name} for the load's transaction, so {@code pg_stat_activity} shows it.
     */
    private static void label(Connection tx, Optional<String> label) throws SQLException {
        if (label.isPresent()) {
            try (java.sql.PreparedStatement ps = tx.prepareStatement("select set_config('application_name', ?, true)")) {
                ps.setString(1, label.get());
                ps.execute();
            }
        }
    }

    private static String unquote(String c) {
        return c.startsWith("\"") ? c.substring(1, c.length() - 1) : c;
    }

    static String quoteName(String name) {
        String folded = name.startsWith("\"") ? name.substring(1, name.length() - 1) : name.toLowerCase(Locale.ROOT);
        return "\"" + folded.replace("\"", "\"\"") + "\"";
    }

    private static int qualifiedName(List<SqlText.Token> tokens, int i, String[] out, String sql) {
        if (i >= tokens.size()) {
            throw syntax(sql, "a table name");
        }
        String a = identifier(tokens.get(i), sql);
        if (i + 2 < tokens.size() && tokens.get(i + 1).isPunct('.')) {
            out[0] = a;
            out[1] = identifier(tokens.get(i + 2), sql);
            return i + 3;
        }
        out[1] = a;
        return i + 1;
    }

    private static String identifier(SqlText.Token t, String sql) {
        if (t.kind() == SqlText.Kind.QUOTED) {
            return "\"" + t.text() + "\"";
        }
        if (t.kind() != SqlText.Kind.WORD) {
            throw syntax(sql, "a table name, found " + t.text());
        }
        return t.text();
    }

    private static ExternalException syntax(String sql, String expected) {
        return new ExternalException(ExternalErrorCode.SYNTAX_ERROR, "Cannot run " + abbreviate(sql) + ": expected "
                + expected);
    }

    private record Loaded(long rows, long rejected, long bytes, int files, double seconds, Optional<Long> loadId,
                          boolean direct) {
        Result result() {
            Result r = Result.ofCount(rows);
            String rate = String.format(Locale.ROOT, "%,d rows loaded%s in %.1f s (%,.0f rows/s)%s", rows,
                    files >= 0 ? String.format(Locale.ROOT, " from %d files (%.1f MB)", files, bytes / 1e6) : "",
                    seconds, seconds > 0 ? rows / seconds : 0, direct ? ", streamed by binary COPY" : ", through Calcite "
                            + "and binary COPY");
            r = r.withNotice(rate);
            if (rejected > 0) {
                r = r.withNotice(rejected + " rows rejected" + loadId.map(id -> " (select * from ingest.reject where "
                        + "load_id = " + id + ")").orElse(""));
            }
            return r;
        }
    }

    /**
     * Loads a query's rows into target columns: a plain projection of one external table goes straight
     * from the readers to COPY; any other query runs through Calcite and its rows are streamed to COPY.
     */
    private Loaded load(Connection tx, String query, Map<String, List<ExternalTableDef>> schemas, TargetTable target,
                        List<String> targetColumns, String kind, Progress progress) throws SQLException {
        Optional<Direct> direct = direct(query, schemas);
        long start = System.nanoTime();
        if (direct.isPresent()) {
            Direct d = direct.get();
            if (d.sourceColumns().size() != targetColumns.size()) {
                throw new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot load into "
                        + target.qualifiedName() + ": the query gives " + d.sourceColumns().size() + " columns for "
                        + targetColumns.size() + " target columns (list the target columns)");
            }
            try (Storage storage = Storage.open(d.table(), catalog)) {
                org.wwi.external.read.TableReader reader = new org.wwi.external.read.TableReader(d.table(), storage);
                var files = reader.list().files();
                LoadResult r = Loader.load(tx, d.table(), storage, files, target,
                        new ColumnMapping(targetColumns, d.sourceColumns()), progress, kind);
                return new Loaded(r.rows(), r.rejected(), r.bytes(), r.files(), r.elapsed().toNanos() / 1e9,
                        r.loadId().isPresent() ? Optional.of(r.loadId().getAsLong()) : Optional.empty(), true);
            }
        }
        // rows the external tables' readers reject (each against its table's REJECT_ options) are
        // recorded with the rows the target refuses
        Rejects scanned = new Rejects("query", org.wwi.external.RejectPolicy.DEFAULT);
        try (Calcite c = calcite(schemas, scanned); Statement st = c.connection().createStatement();
             ResultSet rs = st.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            if (n != targetColumns.size()) {
                throw new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot load into "
                        + target.qualifiedName() + ": the query gives " + n + " columns for " + targetColumns.size()
                        + " target columns (list the target columns)");
            }
            int[] types = new int[n];
            for (int i = 0; i < n; i++) {
                types[i] = rs.getMetaData().getColumnType(i + 1);
            }
            Iterator<Object[]> rows = new Iterator<>() {
                private Boolean has;

                @Override
                public boolean hasNext() {
                    if (has == null) {
                        try {
                            has = rs.next();
                        } catch (SQLException e) {
                            throw queryFailure(query, e);
                        }
                    }
                    return has;
                }

                @Override
                public Object[] next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    has = null;
                    Object[] row = new Object[n];
                    try {
                        for (int i = 0; i < n; i++) {
                            row[i] = value(rs, i + 1, types[i]);
                        }
                    } catch (SQLException e) {
                        throw queryFailure(query, e);
                    }
                    return row;
                }
            };
            Rejects rejects = new Rejects("query", org.wwi.external.RejectPolicy.DEFAULT);
            long rowsLoaded = Loader.copyRows(tx, target, targetColumns, rows, rejects, progress);
            synchronized (scanned) {
                rejects.addChecked(scanned);
            }
            var loadId = Loader.recordQueryLoad(tx, kind, abbreviate(query), target, rowsLoaded, rejects);
            return new Loaded(rowsLoaded, rejects.rejected(), 0, -1, (System.nanoTime() - start) / 1e9,
                    loadId.isPresent() ? Optional.of(loadId.getAsLong()) : Optional.empty(), false);
        }
    }

    private record Direct(ResolvedTable table, List<String> sourceColumns) {
    }

    /** The external table and columns of a {@code SELECT a, b AS c | * FROM ext.t} without anything else. */
    private Optional<Direct> direct(String query, Map<String, List<ExternalTableDef>> schemas) {
        SqlNode node;
        try {
            node = SqlParser.create(query, SqlParser.config().withCaseSensitive(false)
                    .withUnquotedCasing(Casing.UNCHANGED).withQuotedCasing(Casing.UNCHANGED)
                    .withQuoting(Quoting.DOUBLE_QUOTE)).parseQuery();
        } catch (SqlParseException e) {
            return Optional.empty();
        }
        if (!(node instanceof SqlSelect s) || s.getWhere() != null || s.getGroup() != null || s.getHaving() != null
                || s.getOrderList() != null && !s.getOrderList().isEmpty() || s.getFetch() != null
                || s.getOffset() != null || s.isDistinct() || !(s.getFrom() instanceof SqlIdentifier from)
                || from.names.size() != 2) {
            return Optional.empty();
        }
        List<ExternalTableDef> tables = schemas.get(from.names.get(0).toLowerCase(Locale.ROOT));
        if (tables == null) {
            return Optional.empty();
        }
        Optional<ExternalTableDef> table = tables.stream().filter(t -> t.name().equalsIgnoreCase(from.names.get(1)))
                .findFirst();
        if (table.isEmpty()) {
            return Optional.empty();
        }
        List<String> columns = new ArrayList<>();
        for (SqlNode item : s.getSelectList()) {
            SqlNode expr = item;
            if (item instanceof SqlBasicCall call && call.getKind() == SqlKind.AS) {
                expr = call.operand(0);
            }
            if (!(expr instanceof SqlIdentifier id)) {
                return Optional.empty();
            }
            if (id.isStar()) {
                table.get().columns().stream().map(ExternalColumn::name).forEach(columns::add);
                continue;
            }
            String col = id.names.get(id.names.size() - 1);
            Optional<ExternalColumn> c = table.get().column(col);
            if (c.isEmpty()) {
                return Optional.empty(); // let Calcite report the unknown column
            }
            columns.add(c.get().name());
        }
        return Optional.of(new Direct(catalog.resolved(table.get().schema(), table.get().name()), columns));
    }

    /** Column names and PostgreSQL types of a query's result, for CTAS. */
    private List<String[]> resultColumns(String query, Map<String, List<ExternalTableDef>> schemas)
            throws SQLException {
        Optional<Direct> direct = direct(query, schemas);
        List<String[]> out = new ArrayList<>();
        if (direct.isPresent()) {
            SqlSelect s = (SqlSelect) parse(query);
            List<String> labels = new ArrayList<>();
            for (SqlNode item : s.getSelectList()) {
                if (item instanceof SqlBasicCall call && call.getKind() == SqlKind.AS) {
                    labels.add(((SqlIdentifier) call.operand(1)).getSimple());
                } else if (((SqlIdentifier) item).isStar()) {
                    direct.get().table().table().columns().forEach(c -> labels.add(c.name()));
                } else {
                    SqlIdentifier id = (SqlIdentifier) item;
                    labels.add(id.names.get(id.names.size() - 1));
                }
            }
            ExternalTableDef t = direct.get().table().table();
            for (int i = 0; i < labels.size(); i++) {
                ExternalColumn c = t.column(direct.get().sourceColumns().get(i)).orElseThrow();
                out.add(new String[] {labels.get(i), c.type().postgresType() + (c.nullable() ? "" : " not null")});
            }
            return out;
        }
        try (Calcite c = calcite(schemas); java.sql.PreparedStatement ps = c.connection().prepareStatement(query)) {
            ResultSetMetaData md = ps.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(new String[] {md.getColumnLabel(i), postgresType(md, i)});
            }
        } catch (SQLException | RuntimeException e) {
            throw queryFailure(query, e);
        }
        return out;
    }

    private static SqlNode parse(String query) {
        try {
            return SqlParser.create(query, SqlParser.config().withCaseSensitive(false)
                    .withUnquotedCasing(Casing.UNCHANGED).withQuotedCasing(Casing.UNCHANGED)
                    .withQuoting(Quoting.DOUBLE_QUOTE)).parseQuery();
        } catch (SqlParseException e) {
            throw new ExternalException(ExternalErrorCode.SYNTAX_ERROR, "Cannot parse " + abbreviate(query) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String postgresType(ResultSetMetaData md, int i) throws SQLException {
        return switch (md.getColumnType(i)) {
            case Types.TINYINT, Types.SMALLINT -> "smallint";
            case Types.INTEGER -> "integer";
            case Types.BIGINT -> "bigint";
            case Types.BOOLEAN, Types.BIT -> "boolean";
            case Types.DECIMAL, Types.NUMERIC -> md.getPrecision(i) > 0 && md.getPrecision(i) <= 1000
                    ? "numeric(" + md.getPrecision(i) + "," + Math.max(0, md.getScale(i)) + ")" : "numeric";
            case Types.REAL, Types.FLOAT -> "real";
            case Types.DOUBLE -> "double precision";
            case Types.DATE -> "date";
            case Types.TIME -> "time";
            case Types.TIMESTAMP -> "timestamp";
            case Types.TIMESTAMP_WITH_TIMEZONE -> "timestamptz";
            case Types.BINARY, Types.VARBINARY -> "bytea";
            default -> "text";
        };
    }
}
