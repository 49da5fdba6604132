package org.wwi.external.load;

import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A warehouse table that rows are loaded into, with its columns as PostgreSQL describes them.
 *
 * @param schema  schema name as stored (lower case unless created quoted)
 * @param name    table name
 * @param columns the insertable columns (generated and identity-always columns excluded), in table order
 */
public record TargetTable(String schema, String name, List<Column> columns) {

    /** A column of the target: name, {@code pg_type.typname}, typmod, NOT NULL. */
    public record Column(String name, String typeName, int typmod, boolean notNull) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(typeName, "typeName is null");
        }
    }

    public TargetTable {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    /** {@code "schema"."name"}, quoted for SQL. */
    public String quoted() {
        return quote(schema) + "." + quote(name);
    }

    public String qualifiedName() {
        return schema + "." + name;
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * Describes {@code schema.name} as it is in the database of {@code connection}. Unquoted names
     * are folded to lower case, as PostgreSQL does.
     *
     * @throws ExternalException LOAD_TARGET_INVALID when there is no such table
     */
    public static TargetTable describe(Connection connection, String schema, String name) {
        requireNonNull(connection, "connection is null");
        String s = fold(requireNonNull(schema, "schema is null"));
        String n = fold(requireNonNull(name, "name is null"));
        List<Column> columns = new ArrayList<>();
        String sql = "select a.attname, t.typname, a.atttypmod, a.attnotnull, t.typtype "
                + "from pg_attribute a join pg_type t on t.oid = a.atttypid "
                + "where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped "
                + "and a.attgenerated = '' and a.attidentity <> 'a' order by a.attnum";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, quote(s) + "." + quote(n));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)));
                }
            }
        } catch (SQLException e) {
            throw new ExternalException(ExternalErrorCode.LOAD_FAILED, "Cannot describe load target " + s + "." + n
                    + ": " + e.getMessage() + " (check the warehouse database)", e);
        }
        if (columns.isEmpty()) {
            throw new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot load into " + s + "." + n
                    + ": there is no such table (create it first, or use CREATE TABLE … AS SELECT)");
        }
        return new TargetTable(s, n, columns);
    }

    private static String fold(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier.toLowerCase(Locale.ROOT);
    }
}
