package org.wwi.cli;

import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalSql;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.catalog.CatalogStore;
import org.wwi.external.load.TargetTable;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code wwi external list|load}: the external tables of the catalog, and loading one into a warehouse
 * table with a progress bar. A load is the same statement {@code wwi sql} runs ({@code INSERT INTO … SELECT}
 * or {@code CREATE TABLE … AS SELECT}), so it streams with binary COPY in one transaction.
 */
@Command(name = "external", description = "External tables (PolyBase DDL in external-tables/ddl): list them, load one "
        + "into the warehouse.",
        subcommands = {ExternalCommand.ListTables.class, ExternalCommand.Load.class})
final class ExternalCommand implements Runnable {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @ParentCommand
    WwiCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (list or load)");
    }

    @Command(name = "list", description = "The external tables: data source, location, format, columns, reject policy.")
    static final class ListTables implements Callable<Integer> {
        @ParentCommand
        ExternalCommand parent;

        @Override
        public Integer call() {
            WwiCommand root = parent.root;
            try (Database db = root.openDatabase()) {
                CatalogStore catalog = CatalogStore.open(db, root.config().stateDir());
                TextTable t = new TextTable("table", "data source", "location", "format", "columns", "partitions",
                        "reject");
                for (ExternalTableDef table : catalog.tables()) {
                    t.row(table.qualifiedName(), table.dataSource(), table.location(), table.fileFormat(),
                            table.fileColumns().size(), table.partitionColumns().stream().map(ExternalColumn::name)
                                    .collect(Collectors.joining(", ")), table.reject());
                }
                t.print(root.out());
            }
            return 0;
        }
    }

    @Command(name = "load", description = {
            "Load an external table into a warehouse table: INSERT INTO … SELECT (columns matched by name), or with",
            "--create, CREATE TABLE … AS SELECT. One transaction, binary COPY; a bar shows files, rows and MB/s."})
    static final class Load implements Callable<Integer> {
        @ParentCommand
        ExternalCommand parent;

        @Parameters(index = "0", paramLabel = "EXTERNAL_TABLE", description = "schema.name of the external table")
        String table;

        @Option(names = "--into", required = true, paramLabel = "TABLE", description = "the warehouse table (schema.name)")
        String into;

        @Option(names = "--create", description = "create the table from the external table's columns (fails when it "
                + "exists)")
        boolean create;

        @Option(names = "--distribution", paramLabel = "D", description = "with --create: HASH(column), ROUND_ROBIN "
                + "or REPLICATE (applied with Citus, else recorded)")
        String distribution;

        @Option(names = "--where", paramLabel = "PREDICATE", description = "load only matching rows, e.g. "
                + "\"TransactionDay >= date '2026-08-01'\" (partitions and row groups are pruned)")
        String where;

        @Override
        public Integer call() {
            WwiCommand root = parent.root;
            if (distribution != null && !create) {
                throw new ExternalException(ExternalErrorCode.INVALID_DEFINITION,
                        "Cannot use --distribution without --create (an existing table keeps its distribution)");
            }
            try (Database db = root.openDatabase()) {
                CatalogStore catalog = CatalogStore.open(db, root.config().stateDir());
                ExternalTableDef source = lookup(catalog, table);
                String statement = create ? ctas(source) : insert(db, source);
                ExternalSql.Provider provider = ExternalSql.provider().orElseThrow(() -> new ExternalException(
                        ExternalErrorCode.QUERY_FAILED, "Cannot load: the external-tables query engine is not on the "
                        + "class path (rebuild with ./mvnw -q install)"));
                root.out().println(statement);
                root.out().flush();
                ExternalSql.Result r;
                try (ExternalSql engine = provider.open(new ExternalSql.Context(db, catalog, root.config()));
                     Progress progress = Progress.onTerminal("load " + source.qualifiedName(), -1, "rows")) {
                    r = engine.execute(statement, progress);
                }
                r.notices().forEach(n -> root.out().println(n));
                root.out().printf("%s: %,d rows loaded into %s%n", source.qualifiedName(),
                        r.updateCount().orElse(0), into);
            }
            return 0;
        }

        private static ExternalTableDef lookup(CatalogStore catalog, String qualified) {
            int dot = qualified.indexOf('.');
            Optional<ExternalTableDef> t = dot < 0 ? Optional.empty()
                    : catalog.table(qualified.substring(0, dot), qualified.substring(dot + 1));
            return t.orElseThrow(() -> new ExternalException(ExternalErrorCode.NOT_FOUND, "Cannot load " + qualified
                    + ": there is no such external table (known: " + catalog.tables().stream()
                    .map(ExternalTableDef::qualifiedName).collect(Collectors.joining(", "))
                    + "; see wwi external list)"));
        }

        private String ctas(ExternalTableDef source) {
            return "CREATE TABLE " + into + (distribution == null ? "" : " WITH (DISTRIBUTION = " + distribution + ")")
                    + " AS SELECT * FROM " + source.qualifiedName() + whereClause();
        }

        /** Matches the external table's columns to the target's by name, case-insensitively. */
        private String insert(Database db, ExternalTableDef source) {
            int dot = into.indexOf('.');
            TargetTable target;
            try (Connection c = db.dataSource().getConnection()) {
                target = TargetTable.describe(c, dot < 0 ? "public" : into.substring(0, dot), into.substring(dot + 1));
            } catch (SQLException e) {
                throw new ExternalException(ExternalErrorCode.LOAD_FAILED, "Cannot describe " + into + ": "
                        + e.getMessage() + " (is the database reachable?)", e);
            } catch (ExternalException e) {
                throw new ExternalException(e.code(), e.getMessage() + " (or add --create)", e);
            }
            List<String> missing = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (ExternalColumn column : source.columns()) {
                if (target.column(column.name()).isPresent()) {
                    names.add(identifier(column.name()));
                } else {
                    missing.add(column.name());
                }
            }
            if (!missing.isEmpty()) {
                throw new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot load "
                        + source.qualifiedName() + " into " + target.qualifiedName() + ": it has no column "
                        + String.join(", ", missing) + " (add the columns, or load into a new table with --create)");
            }
            String list = String.join(", ", names);
            return "INSERT INTO " + into + " (" + list + ") SELECT " + list + " FROM " + source.qualifiedName()
                    + whereClause();
        }

        private String whereClause() {
            return where == null || where.isBlank() ? "" : " WHERE " + where;
        }

        private static String identifier(String name) {
            return PLAIN.matcher(name).matches() ? name : "\"" + name.replace("\"", "\"\"") + "\"";
        }
    }
}
