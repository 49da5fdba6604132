package org.wwi.semantic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The rows of a semantic query with typed, formatted columns.
 *
 * @param columns   the columns, in order
 * @param rows      the rows; values are JDBC objects (String, Long, BigDecimal, Double, Date, ...)
 * @param sql       the semantic SQL that ran (over views)
 * @param pushedSql the one PostgreSQL statement it became
 * @param rollups   rollups that answered it; empty when the detail tables did
 * @param elapsed   compile and run time
 */
public record QueryResult(List<Column> columns, List<List<Object>> rows, String sql, String pushedSql,
                          List<String> rollups, Duration elapsed) {
    public QueryResult {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
        }
        rows = Collections.unmodifiableList(copy);
        requireNonNull(sql, "sql is null");
        requireNonNull(pushedSql, "pushedSql is null");
        rollups = List.copyOf(rollups);
        requireNonNull(elapsed, "elapsed is null");
    }

    /**
     * A result column.
     *
     * @param name        the column name
     * @param member      the member path in its view (e.g. {@code product.category}), if it is one
     * @param measure     whether it is a measure
     * @param jdbcType    {@link java.sql.Types} code
     * @param typeName    SQL type name, e.g. DECIMAL(38, 2)
     * @param format      how to show values
     * @param decimals    decimals to show, or -1 for the format's default
     * @param description the member's description, or empty
     */
    public record Column(String name, Optional<String> member, boolean measure, int jdbcType, String typeName,
                         Format format, int decimals, String description) {
        public String format(Object value) {
            return format.apply(value, decimals);
        }
    }

    /** The value at a row and column, formatted for display. */
    public String formatted(int row, int column) {
        return columns.get(column).format(rows.get(row).get(column));
    }

    /** The index of a column by name (case-insensitive). */
    public int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + name + " in " + columns.stream().map(Column::name).toList());
    }
}
