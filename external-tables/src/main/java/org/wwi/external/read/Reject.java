package org.wwi.external.read;

import static java.util.Objects.requireNonNull;

/**
 * A row that did not convert, as written to the reject table.
 *
 * @param file     the file it came from
 * @param row      1-based row number in the file (text: line number; Parquet: row index + 1)
 * @param column   the column that failed, or null when the row as a whole is bad (wrong field count)
 * @param rawValue the text that failed (a field, or the line, cut to 1000 characters)
 * @param reason   why, e.g. "not a date for DATE_FORMAT 'M/d/yyyy h:mm:ss tt'"
 */
public record Reject(String file, long row, String column, String rawValue, String reason) {
    static final int MAX_RAW = 1000;

    public Reject {
        requireNonNull(file, "file is null");
        requireNonNull(reason, "reason is null");
        if (rawValue != null && rawValue.length() > MAX_RAW) {
            rawValue = rawValue.substring(0, MAX_RAW);
        }
    }

    /** One line for messages: {@code part-0.txt row 7, column TransactionDate: 'not a date' (not a date for …)}. */
    public String describe() {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name + " row " + row + (column == null ? "" : ", column " + column) + ": "
                + (rawValue == null ? "NULL" : "'" + rawValue + "'") + " (" + reason + ")";
    }
}
