package org.wwi.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Appends a step's first result set from a target to the output table: the output database is
 * created when missing, the table when missing (columns job_execution_id, target_server_name,
 * target_database_name, then the result's columns), and columns the table lacks are added. The
 * rows of one execution and target replace any earlier rows of the same execution and target, so
 * that a target run twice (at-least-once) is written once.
 */
final class OutputWriter {
    private static final Set<String> KNOWN_TYPES = Set.of("bool", "int2", "int4", "int8", "float4", "float8",
            "numeric", "text", "date", "time", "timestamp", "timestamptz", "interval", "uuid", "json", "jsonb", "bytea",
            "inet", "cidr");

    private final TargetConnector connector;
    private final Set<String> ensuredDatabases = ConcurrentHashMap.newKeySet();

    OutputWriter(TargetConnector connector) {
        this.connector = connector;
    }

    /** The output column type of a result column's PostgreSQL type name. */
    static String columnType(String pgType) {
        String t = pgType.toLowerCase(Locale.ROOT);
        if (t.startsWith("_") && KNOWN_TYPES.contains(t.substring(1))) {
            return t.substring(1) + "[]";
        }
        if (t.equals("oid")) {
            return "int8";
        }
        return KNOWN_TYPES.contains(t) ? t : "text";
    }

    int write(Task.Output out, Task task, Attempt.Captured rows) throws SQLException {
        Set<String> names = new HashSet<>();
        for (String c : rows.columns()) {
            if (!names.add(c) || List.of("job_execution_id", "target_server_name", "target_database_name").contains(c)) {
                throw new SQLException("the result has a column named " + c + " twice or reserved (alias it)", "42701");
            }
        }
        ensureDatabase(out);
        try (Connection c = connector.connect(out.server(), out.database(), out.credential(), "output credential",
                30_000)) {
            c.setAutoCommit(false);
            try {
                String table = Sql.quoteIdent(out.schema()) + "." + Sql.quoteIdent(out.table());
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "wwi elastic jobs output " + out.schema() + "." + out.table());
                    lock.executeQuery().close();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("create schema if not exists " + Sql.quoteIdent(out.schema()));
                    StringBuilder ddl = new StringBuilder("create table if not exists " + table
                            + " (job_execution_id uuid not null, target_server_name text not null, "
                            + "target_database_name text not null");
                    for (int i = 0; i < rows.columns().size(); i++) {
                        ddl.append(", ").append(Sql.quoteIdent(rows.columns().get(i))).append(' ')
                                .append(columnType(rows.types().get(i)));
                    }
                    s.execute(ddl.append(")").toString());
                }
                Set<String> existing = new LinkedHashSet<>();
                try (PreparedStatement ps = c.prepareStatement("select column_name from information_schema.columns "
                        + "where table_schema = ? and table_name = ?")) {
                    ps.setString(1, out.schema());
                    ps.setString(2, out.table());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            existing.add(rs.getString(1));
                        }
                    }
                }
                try (Statement s = c.createStatement()) {
                    for (int i = 0; i < rows.columns().size(); i++) {
                        if (!existing.contains(rows.columns().get(i))) {
                            s.execute("alter table " + table + " add column " + Sql.quoteIdent(rows.columns().get(i))
                                    + " " + columnType(rows.types().get(i)));
                        }
                    }
                }
                try (PreparedStatement del = c.prepareStatement("delete from " + table + " where job_execution_id = ? "
                        + "and target_server_name = ? and target_database_name = ?")) {
                    del.setObject(1, task.executionId());
                    del.setString(2, task.server().name());
                    del.setString(3, task.database());
                    del.executeUpdate();
                }
                StringBuilder insert = new StringBuilder("insert into " + table
                        + " (job_execution_id, target_server_name, target_database_name");
                StringBuilder values = new StringBuilder(" values (?, ?, ?");
                for (int i = 0; i < rows.columns().size(); i++) {
                    insert.append(", ").append(Sql.quoteIdent(rows.columns().get(i)));
                    values.append(", cast(? as ").append(columnType(rows.types().get(i))).append(')');
                }
                try (PreparedStatement ins = c.prepareStatement(insert.append(')').append(values).append(')').toString())) {
                    for (String[] row : rows.rows()) {
                        ins.setObject(1, task.executionId());
                        ins.setString(2, task.server().name());
                        ins.setString(3, task.database());
                        for (int i = 0; i < row.length; i++) {
                            ins.setString(i + 4, row[i]);
                        }
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Sql.rollbackQuietly(c, e);
                throw e;
            }
        }
        return rows.rows().size();
    }

    private void ensureDatabase(Task.Output out) throws SQLException {
        String key = out.server().name() + "/" + out.database();
        if (ensuredDatabases.contains(key)) {
            return;
        }
        try (Connection c = connector.connect(out.server(), out.server().maintenanceDatabase(), out.credential(),
                "output credential", 30_000)) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, out.database());
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("create database " + Sql.quoteIdent(out.database()));
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) { // made meanwhile
                        throw e;
                    }
                }
            }
        }
        ensuredDatabases.add(key);
    }
}
