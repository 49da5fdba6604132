package org.wwi.external.load;

import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Writes rows in PostgreSQL's binary COPY format to a stream, with the encoders the loader uses
 * (for benchmarks and tools that prepare COPY data ahead of time).
 */
public final class BinaryCopyWriter {
    private final OutputStream out;
    private final PgBinaryRow.Encoder[] encoders;
    private final PgBinaryRow row = new PgBinaryRow();

    public BinaryCopyWriter(TargetTable target, List<String> columns, OutputStream out) {
        this.out = requireNonNull(out, "out is null");
        encoders = new PgBinaryRow.Encoder[columns.size()];
        for (int i = 0; i < encoders.length; i++) {
            TargetTable.Column c = target.column(columns.get(i)).orElseThrow();
            encoders[i] = PgBinaryRow.encoder(c.typeName(), c.typmod());
        }
        row.header();
    }

    /** Appends one row (values in column order). */
    public void row(Object[] values) throws IOException {
        row.startRow(encoders.length);
        for (int i = 0; i < encoders.length; i++) {
            if (values[i] == null) {
                row.writeNull();
                continue;
            }
            try {
                encoders[i].write(row, values[i]);
            } catch (PgBinaryRow.Misfit e) {
                throw new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot encode " + values[i] + ": "
                        + e.getMessage());
            }
        }
        if (row.pos >= 1 << 19) {
            out.write(row.buf, 0, row.pos);
            row.reset();
        }
    }

    /** Writes the trailer and flushes. */
    public void finish() throws IOException {
        row.trailer();
        out.write(row.buf, 0, row.pos);
        row.reset();
        out.flush();
    }
}
