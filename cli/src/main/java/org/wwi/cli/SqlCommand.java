package org.wwi.cli;

import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalSql;
import org.wwi.external.catalog.CatalogStore;
import org.wwi.external.catalog.DdlMigrations;
import org.wwi.external.ddl.DdlStatement;
import org.wwi.external.ddl.Placeholders;
import org.wwi.external.ddl.SqlScript;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code wwi sql}: runs a script of statements. PolyBase DDL (CREATE/DROP EXTERNAL …, credentials,
 * master key) goes to the external-table catalog; everything else to the query engine of the
 * external-tables module when it is on the class path ({@link ExternalSql.Provider}), or else
 * straight to PostgreSQL. Each statement runs in its own transaction; the first error stops the script.
 */
@Command(name = "sql", description = {
        "Run SQL: PolyBase DDL into the external-table catalog, queries and loads over external and warehouse tables.",
        "The script comes from the argument, from -f FILE, or from standard input; statements end with ';' or a GO line."})
final class SqlCommand implements Callable<Integer> {
    /** Statements that may load many rows: they get a progress bar on standard error. */
    private static final java.util.regex.Pattern LOAD = java.util.regex.Pattern.compile(
            "\\s*(insert\\s+into|create\\s+table)\\b", java.util.regex.Pattern.CASE_INSENSITIVE);

    @ParentCommand
    WwiCommand root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SQL", description = "the statements to run")
    String sql;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "read the statements from FILE ('-': stdin)")
    Path file;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "1000",
            description = "print at most N rows of a result (default: ${DEFAULT-VALUE})")
    int maxRows;

    @Override
    public Integer call() {
        if (sql != null && file != null) {
            throw new ExternalException(ExternalErrorCode.INVALID_DEFINITION,
                    "Cannot run SQL from both the argument and -f " + file + " (give one)");
        }
        String origin = file == null || file.toString().equals("-") ? "statement" : file.getFileName().toString();
        SqlScript script = SqlScript.split(readScript(), origin);
        if (script.statements().isEmpty()) {
            root.err().println("nothing to run: the script holds no statement");
            return 0;
        }
        Placeholders placeholders = DdlMigrations.placeholders(root.home(), root.config().lakeDir(), System::getenv);
        try (Database db = root.openDatabase()) {
            CatalogStore catalog = CatalogStore.open(db, root.config().stateDir());
            try (ExternalSql engine = ExternalSql.provider()
                    .map(p -> p.open(new ExternalSql.Context(db, catalog, root.config())))
                    .orElseGet(() -> new PostgresSql(db))) {
                for (SqlScript.Statement s : script.statements()) {
                    if (s.isDdl()) {
                        for (DdlStatement ddl : s.parse(placeholders)) {
                            CatalogStore.Outcome o = catalog.execute(ddl);
                            root.out().printf("%s: %s (%s)%n", o.statement(), o.result(), millis(o.elapsed().toNanos()));
                        }
                    } else {
                        long start = System.nanoTime();
                        ExternalSql.Result r;
                        try (Progress progress = LOAD.matcher(s.text()).lookingAt()
                                ? Progress.onTerminal("load", -1, "rows") : Progress.none()) {
                            r = engine.execute(s.text(), progress);
                        }
                        print(r, System.nanoTime() - start);
                    }
                    root.out().flush();
                }
            }
        }
        return 0;
    }

    private void print(ExternalSql.Result r, long nanos) {
        if (!r.columns().isEmpty()) {
            TextTable t = new TextTable(r.columns().toArray(String[]::new));
            int shown = 0;
            for (List<Object> row : r.rows()) {
                if (shown++ == maxRows) {
                    break;
                }
                t.row(row.stream().map(SqlCommand::cell).toArray());
            }
            t.print(root.out());
            int n = r.rows().size();
            root.out().printf("(%d row%s%s, %s)%n", n, n == 1 ? "" : "s",
                    n > maxRows ? "; first " + maxRows + " shown, see --max-rows" : "", millis(nanos));
        } else if (r.updateCount().isPresent()) {
            long n = r.updateCount().getAsLong();
            root.out().printf("%d row%s affected (%s)%n", n, n == 1 ? "" : "s", millis(nanos));
        } else {
            root.out().printf("ok (%s)%n", millis(nanos));
        }
        r.notices().forEach(n -> root.out().println("notice: " + n));
    }

    private static Object cell(Object v) {
        if (v instanceof byte[] b) {
            StringBuilder hex = new StringBuilder("\\x");
            for (byte x : b) {
                hex.append(String.format("%02x", x));
            }
            return hex;
        }
        return v;
    }

    private static String millis(long nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    private String readScript() {
        try {
            if (sql != null) {
                return sql;
            }
            if (file != null && !file.toString().equals("-")) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            InputStream in = System.in;
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExternalException(ExternalErrorCode.IO_FAILED, "Cannot read SQL from "
                    + (file == null ? "standard input" : file) + ": " + e.getMessage() + " (check the path)", e);
        }
    }

    /** Until the query engine is on the class path: each statement straight to PostgreSQL in its own transaction. */
    static final class PostgresSql implements ExternalSql {
        private final Database db;

        PostgresSql(Database db) {
            this.db = db;
        }

        @Override
        public Result execute(String statement, Progress progress) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                boolean rows = st.execute(statement);
                if (!rows) {
                    long n = st.getLargeUpdateCount();
                    return n < 0 ? new Result(List.of(), List.of(), OptionalLong.empty(), List.of()) : Result.ofCount(n);
                }
                try (ResultSet rs = st.getResultSet()) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(md.getColumnLabel(i));
                    }
                    List<List<Object>> out = new ArrayList<>();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>(columns.size());
                        for (int i = 1; i <= columns.size(); i++) {
                            row.add(rs.getObject(i));
                        }
                        out.add(row);
                    }
                    return Result.ofRows(columns, out);
                }
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                boolean user = state.startsWith("42") || state.startsWith("22") || state.startsWith("23");
                throw new ExternalException(user ? ExternalErrorCode.SQL_FAILED : ExternalErrorCode.DATABASE_FAILED,
                        "Cannot run statement: " + e.getMessage().lines().findFirst().orElse("") + " (SQL state "
                                + state + ")", e);
            }
        }

        @Override
        public void close() {
        }
    }
}
