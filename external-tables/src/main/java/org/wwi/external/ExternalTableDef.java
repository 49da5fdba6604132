package org.wwi.external;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE EXTERNAL TABLE schema.name (columns) WITH (LOCATION = '…', DATA_SOURCE = …, FILE_FORMAT = …, …)}.
 *
 * @param schema     the schema (e.g. {@code ext}); {@code dbo} when the DDL names none
 * @param name       the table name
 * @param columns    in declaration order, partition columns included (flagged)
 * @param location   folder or file relative to the data source's LOCATION (PolyBase writes it with a leading
 *                   {@code /}); a folder is read recursively following Spark's conventions
 * @param dataSource name of the {@link DataSourceDef}
 * @param fileFormat name of the {@link FileFormatDef}
 * @param reject     the reject options
 * @param options    further options, keys upper case, values as written (booleans {@code TRUE}/{@code FALSE}):
 *                   {@link #REQUIRE_SUCCESS_FILE}, {@link #PARTITION_COLUMNS} (comma-separated, as declared)
 */
public record ExternalTableDef(String schema, String name, List<ExternalColumn> columns, String location,
                               String dataSource, String fileFormat, RejectPolicy reject,
                               Map<String, String> options) {

    /** Option: {@code TRUE} when a folder counts only once Spark wrote its {@code _SUCCESS} file. */
    public static final String REQUIRE_SUCCESS_FILE = "REQUIRE_SUCCESS_FILE";
    /** Option: the Hive partition columns, comma-separated in folder order. */
    public static final String PARTITION_COLUMNS = "PARTITION_COLUMNS";

    public ExternalTableDef {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
        requireNonNull(dataSource, "dataSource is null");
        requireNonNull(fileFormat, "fileFormat is null");
        requireNonNull(reject, "reject is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        Map<String, String> opts = new LinkedHashMap<>();
        requireNonNull(options, "options is null").forEach((k, v) -> opts.put(
                requireNonNull(k, "option key is null").toUpperCase(Locale.ROOT), requireNonNull(v, "option value is null")));
        options = java.util.Collections.unmodifiableMap(opts);
        if (schema.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("table name is blank");
        }
        if (location.isBlank()) {
            throw new IllegalArgumentException("LOCATION of " + schema + "." + name + " is blank");
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(schema + "." + name + " has no columns");
        }
        Set<String> seen = new HashSet<>();
        for (ExternalColumn c : columns) {
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column " + c.name() + " of " + schema + "." + name
                        + " is declared twice");
            }
        }
        if (columns.stream().allMatch(ExternalColumn::partitionColumn)) {
            throw new IllegalArgumentException(schema + "." + name + " needs a column read from the files");
        }
    }

    /** {@code schema.name}. */
    public String qualifiedName() {
        return schema + "." + name;
    }

    /** The column called {@code columnName}, case-insensitively. */
    public Optional<ExternalColumn> column(String columnName) {
        return columns.stream().filter(c -> c.hasName(columnName)).findFirst();
    }

    /** The columns read from the files, in declaration order. */
    public List<ExternalColumn> fileColumns() {
        return columns.stream().filter(c -> !c.partitionColumn()).toList();
    }

    /** The Hive partition columns, in folder order (the order of the PARTITION_COLUMNS option). */
    public List<ExternalColumn> partitionColumns() {
        String declared = options.get(PARTITION_COLUMNS);
        if (declared == null || declared.isBlank()) {
            return columns.stream().filter(ExternalColumn::partitionColumn).toList();
        }
        return java.util.Arrays.stream(declared.split(","))
                .map(String::strip)
                .map(n -> column(n).orElseThrow(() -> new IllegalStateException("partition column " + n + " of "
                        + qualifiedName() + " is not declared")))
                .toList();
    }

    /** Whether a folder counts only once it holds {@code _SUCCESS}. */
    public boolean requireSuccessFile() {
        return "TRUE".equalsIgnoreCase(options.getOrDefault(REQUIRE_SUCCESS_FILE, "FALSE"));
    }
}
