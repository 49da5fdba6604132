package org.wwi.external;

import static java.util.Objects.requireNonNull;

/**
 * A column of an external table.
 *
 * @param name            as declared (matched to Parquet columns and Hive folders case-insensitively)
 * @param type            the declared T-SQL type
 * @param nullable        false for {@code NOT NULL}; T-SQL's default is NULL
 * @param partitionColumn true when the value comes from Hive {@code name=value} folders of the table's
 *                        LOCATION (listed in the table's {@code PARTITION_COLUMNS} option), not from the files
 */
public record ExternalColumn(String name, ExternalType type, boolean nullable, boolean partitionColumn) {

    public ExternalColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("column name is blank");
        }
    }

    /** True when {@code other} names this column (T-SQL names are case-insensitive). */
    public boolean hasName(String other) {
        return name.equalsIgnoreCase(requireNonNull(other, "other is null"));
    }
}
