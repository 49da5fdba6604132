package org.wwi.external.read;

import org.wwi.external.storage.FileRef;

/**
 * The rows of one file, one at a time (pull): {@code while (c.next()) use(c.row());}. Rows that do
 * not convert are skipped and reported to the statement's {@link Rejects}. The array returned by
 * {@link #row()} is fresh for every row.
 */
public interface FileCursor extends AutoCloseable {

    /** Moves to the next row that converted; false at the end of the file. */
    boolean next();

    /** The current row: values of the requested columns, in request order. */
    Object[] row();

    /**
     * The current row with values in {@link TypedRow}'s forms, valid until {@link #next()}: numbers and
     * UTF-8 bytes where the cursor was opened with {@link TableReader#openTyped} and the file allows,
     * Java values otherwise.
     */
    default TypedRow typedRow() {
        return TypedRow.of(row());
    }

    /** 1-based row number of the current row in its file. */
    long rowNumber();

    FileRef file();

    /** Bytes of the file read so far (compressed, as stored). */
    long bytesRead();

    @Override
    void close();
}
