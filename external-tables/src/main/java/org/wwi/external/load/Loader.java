package org.wwi.external.load;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.wwi.external.Catalog;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalType;
import org.wwi.external.ResolvedTable;
import org.wwi.external.read.FileCursor;
import org.wwi.external.read.Reject;
import org.wwi.external.read.Rejects;
import org.wwi.external.read.TableReader;
import org.wwi.external.read.TypedRow;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Storage;
import org.wwi.platform.Progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Loads rows into a warehouse table with PostgreSQL's binary COPY, streaming: rows go from the
 * readers through a 1 MB buffer into the COPY stream, so memory does not grow with the input.
 * Everything happens in the caller's connection and transaction (the caller commits or rolls
 * back), so that an ELT ledger can be written in the same transaction: a failure, or rejected
 * rows beyond the table's threshold, leaves nothing loaded once the caller rolls back.
 * Rejected rows, and one {@code ingest.load} row, are written after the COPY in the same
 * transaction when the warehouse has the {@code ingest} schema.
 */
public final class Loader {
    private static final int FLUSH_BYTES = 1 << 19;

    private final Catalog catalog;

    public Loader(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /**
     * Loads the given files of an external table into {@code target}, in the caller's transaction
     * ({@code tx} must not be in auto-commit mode when the caller wants to roll back).
     *
     * @throws ExternalException REJECT_LIMIT_EXCEEDED (nothing usable loaded: roll back), storage and
     *                           read errors, LOAD_FAILED when PostgreSQL refuses the rows
     */
    public LoadResult load(Connection tx, ResolvedTable table, List<FileRef> files, TargetTable target,
                           ColumnMapping mapping, Progress progress) {
        try (Storage storage = Storage.open(table, catalog)) {
            return load(tx, table, storage, files, target, mapping, progress, "API");
        }
    }

    /** As {@link #load(Connection, ResolvedTable, List, TargetTable, ColumnMapping, Progress)} over open storage. */
    public static LoadResult load(Connection tx, ResolvedTable table, Storage storage, List<FileRef> files,
                                  TargetTable target, ColumnMapping mapping, Progress progress, String kind) {
        requireNonNull(tx, "tx is null");
        requireNonNull(table, "table is null");
        requireNonNull(files, "files is null");
        requireNonNull(target, "target is null");
        requireNonNull(mapping, "mapping is null");
        requireNonNull(progress, "progress is null");
        Instant started = Instant.now();
        long start = System.nanoTime();
        List<ExternalColumn> columns = table.table().columns();
        int[] sourceIndexes = new int[mapping.sourceColumns().size()];
        for (int i = 0; i < sourceIndexes.length; i++) {
            String name = mapping.sourceColumns().get(i);
            int idx = -1;
            for (int c = 0; c < columns.size(); c++) {
                if (columns.get(c).hasName(name)) {
                    idx = c;
                }
            }
            if (idx < 0) {
                throw new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot load "
                        + table.table().qualifiedName() + ": it has no column " + name);
            }
            sourceIndexes[i] = idx;
        }
        TableReader reader = new TableReader(table, storage);
        Rejects rejects = new Rejects(table.table().qualifiedName(), table.table().reject());
        long totalBytes = files.stream().mapToLong(FileRef::length).sum();
        long[] bytesDone = {0};
        int[] fileNo = {0};
        List<ExternalType> sourceTypes = new ArrayList<>();
        for (int idx : sourceIndexes) {
            sourceTypes.add(columns.get(idx).type());
        }
        class Files implements Rows, Origin {
            private FileCursor cursor;
            private int next;

            @Override
            public boolean next() {
                while (true) {
                    if (cursor == null) {
                        if (next >= files.size()) {
                            return false;
                        }
                        cursor = reader.openTyped(files.get(next++), sourceIndexes, List.of(), rejects);
                        fileNo[0] = next;
                        progress.note(note(fileNo[0], files.size(), bytesDone[0], totalBytes, start));
                    }
                    if (cursor.next()) {
                        return true;
                    }
                    bytesDone[0] += cursor.file().length();
                    cursor.close();
                    cursor = null;
                }
            }

            @Override
            public TypedRow row() {
                return cursor.typedRow();
            }

            void close() {
                if (cursor != null) {
                    cursor.close();
                    cursor = null;
                }
            }

            @Override
            public String file() {
                return cursor == null ? table.table().qualifiedName() : cursor.file().path();
            }

            @Override
            public long row(long seen) {
                return cursor == null ? seen : cursor.rowNumber();
            }

            @Override
            public boolean counted() {
                return true;
            }
        }
        Files rows = new Files();
        CopyOutcome outcome;
        try {
            outcome = copyPipelined(tx, target, mapping.targetColumns(), sourceTypes, rows, rejects, rows, progress);
        } finally {
            rows.close();
        }
        rejects.finish();
        OptionalLong loadId = record(tx, kind, table.table().qualifiedName(), target, files.size(), outcome.rows,
                rejects, totalBytes, started);
        progress.note(note(files.size(), files.size(), totalBytes, totalBytes, start));
        return new LoadResult(outcome.rows, rejects.rejected(), totalBytes, files.size(),
                Duration.ofNanos(System.nanoTime() - start), loadId);
    }

    private static String note(int file, int files, long bytes, long total, long startNanos) {
        double s = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return String.format(Locale.ROOT, "file %d/%d, %.1f/%.1f MB, %.1f MB/s", file, files, bytes / 1e6, total / 1e6,
                bytes / 1e6 / s);
    }

    record CopyOutcome(long rows) {
    }

    /**
     * Streams rows of a query (values in {@code targetColumns} order) into the target with binary COPY, in
     * the caller's transaction; values that do not fit are rejected through {@code rejects}.
     *
     * @return rows written
     */
    public static long copyRows(Connection tx, TargetTable target, List<String> targetColumns, Iterator<Object[]> rows,
                                Rejects rejects, Progress progress) {
        long n = copy(tx, target, targetColumns, Rows.of(rows), rejects, Origin.query("query"), progress).rows;
        rejects.finish();
        return n;
    }

    /** Records a load of query rows in {@code ingest.load} / {@code ingest.reject} (when the warehouse has them). */
    public static OptionalLong recordQueryLoad(Connection tx, String kind, String source, TargetTable target, long rows,
                                               Rejects rejects) {
        return record(tx, kind, source, target, 0, rows, rejects, 0, Instant.now());
    }

    /**
     * Streams rows (values in {@code targetColumns} order) into the target with binary COPY, on the
     * calling thread. Values that do not fit a target column are rejected through {@code rejects}
     * (file "query" for query rows).
     */
    static CopyOutcome copy(Connection tx, TargetTable target, List<String> targetColumns, Rows rows,
                            Rejects rejects, Origin origin, Progress progress) {
        Encoding encoding = new Encoding(target, targetColumns, null, rejects, origin);
        PgBinaryRow out = new PgBinaryRow();
        CopyIn copyIn = null;
        try {
            copyIn = tx.unwrap(PGConnection.class).getCopyAPI().copyIn(encoding.sql());
            out.header();
            boolean more = true;
            while (more) {
                long before = encoding.rows;
                more = encoding.fill(out, rows);
                copyIn.writeToCopy(out.buf, 0, out.pos);
                out.reset();
                progress.advance(encoding.rows - before);
            }
            copyIn.endCopy();
            return new CopyOutcome(encoding.rows);
        } catch (SQLException e) {
            cancel(copyIn);
            throw refused(target, encoding.rows, e);
        } catch (RuntimeException | Error e) {
            cancel(copyIn);
            throw e;
        }
    }

    /**
     * As {@link #copy}, but rows are read and encoded on a second thread while the calling thread
     * writes the previous buffers to PostgreSQL, so that decoding files and PostgreSQL's insertion
     * overlap (one core each). At most {@link #BUFFERS} buffers of {@link #FLUSH_BYTES} are in
     * flight: memory stays bounded. {@code rows} must not use {@code tx}; progress advances on the
     * calling thread.
     */
    static CopyOutcome copyPipelined(Connection tx, TargetTable target, List<String> targetColumns,
                                     List<ExternalType> sourceTypes, Rows rows, Rejects rejects, Origin origin,
                                     Progress progress) {
        Encoding encoding = new Encoding(target, targetColumns, sourceTypes, rejects, origin);
        BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS);
        BlockingQueue<PgBinaryRow> free = new ArrayBlockingQueue<>(BUFFERS);
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new PgBinaryRow());
        }
        Thread encoder = new Thread(() -> {
            try {
                boolean more = true;
                boolean first = true;
                while (more) {
                    PgBinaryRow out = free.take();
                    if (first) {
                        out.header();
                        first = false;
                    }
                    long before = encoding.rows;
                    more = encoding.fill(out, rows);
                    full.put(new Chunk(out, encoding.rows - before, !more, null));
                }
            } catch (InterruptedException e) {
                // the writer gave up (PostgreSQL refused the rows): nothing more to encode
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                full.offer(new Chunk(null, 0, true, e));
            }
        }, "wwi-copy-encoder");
        encoder.setDaemon(true);
        CopyIn copyIn = null;
        try {
            copyIn = tx.unwrap(PGConnection.class).getCopyAPI().copyIn(encoding.sql());
            encoder.start();
            while (true) {
                Chunk c = full.take();
                if (c.failure instanceof RuntimeException r) {
                    throw r;
                }
                if (c.failure instanceof Error e) {
                    throw e;
                }
                copyIn.writeToCopy(c.out.buf, 0, c.out.pos);
                c.out.reset();
                free.put(c.out);
                progress.advance(c.rows);
                if (c.last) {
                    break;
                }
            }
            copyIn.endCopy();
            encoder.join();
            return new CopyOutcome(encoding.rows);
        } catch (SQLException e) {
            stop(encoder);
            cancel(copyIn);
            throw refused(target, encoding.rows, e);
        } catch (InterruptedException e) {
            stop(encoder);
            cancel(copyIn);
            Thread.currentThread().interrupt();
            throw new ExternalException(ExternalErrorCode.LOAD_FAILED, "Interrupted while loading into "
                    + target.qualifiedName() + " (nothing was committed)", e);
        } catch (RuntimeException | Error e) {
            stop(encoder);
            cancel(copyIn);
            throw e;
        }
    }

    private static final int BUFFERS = 4;

    /** A filled buffer, the rows in it, whether it ends the stream; or the encoder's unchecked failure. */
    private record Chunk(PgBinaryRow out, long rows, boolean last, Throwable failure) {
    }

    private static void stop(Thread encoder) {
        encoder.interrupt();
        try {
            encoder.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExternalException refused(TargetTable target, long rows, SQLException e) {
        return new ExternalException(ExternalErrorCode.LOAD_FAILED, "Cannot load into " + target.qualifiedName()
                + ": PostgreSQL refused the rows after " + rows + " rows (" + e.getMessage()
                + "; nothing was committed)", e);
    }

    /** Rows to encode, one at a time: {@link #row()} is valid until the next {@link #next()}. */
    interface Rows {
        boolean next();

        TypedRow row();

        /** Rows of Java values (query rows). */
        static Rows of(Iterator<Object[]> it) {
            return new Rows() {
                private TypedRow current;

                @Override
                public boolean next() {
                    if (!it.hasNext()) {
                        return false;
                    }
                    current = TypedRow.of(it.next());
                    return true;
                }

                @Override
                public TypedRow row() {
                    return current;
                }
            };
        }
    }

    /** Where the row being encoded came from, for reject rows. */
    interface Origin {
        String file();

        /** The row's number in its file; {@code seen} counts the rows of the statement. */
        long row(long seen);

        /** Whether the rows were already counted in the statement's {@link Rejects} by their reader. */
        boolean counted();

        /** Rows of a query: numbered in the statement, not counted by a reader. */
        static Origin query(String source) {
            return new Origin() {
                @Override
                public String file() {
                    return source;
                }

                @Override
                public long row(long seen) {
                    return seen;
                }

                @Override
                public boolean counted() {
                    return false;
                }
            };
        }
    }

    /** Encodes rows into binary COPY buffers: the target's encoders, rejects of values that do not fit. */
    private static final class Encoding {
        private final TargetTable target;
        private final List<String> targetColumns;
        private final Rejects rejects;
        private final Origin origin;
        private final PgBinaryRow.Encoder[] encoders;
        /** Per column, the encoder of LONG / UTF8 values, or null when they go through their objects. */
        private final PgBinaryRow.LongEncoder[] longEncoders;
        private final PgBinaryRow.Utf8Encoder[] utf8Encoders;
        private final List<String> quoted = new ArrayList<>();
        /** Rows encoded so far (read by the writer only after the buffer that holds them was handed over). */
        volatile long rows;
        private long seen;

        /** {@code sourceTypes}: the declared types of the rows' values (for LONG values), or null for query rows. */
        Encoding(TargetTable target, List<String> targetColumns, List<ExternalType> sourceTypes, Rejects rejects,
                 Origin origin) {
            this.target = target;
            this.targetColumns = targetColumns;
            this.rejects = rejects;
            this.origin = origin;
            encoders = new PgBinaryRow.Encoder[targetColumns.size()];
            longEncoders = new PgBinaryRow.LongEncoder[targetColumns.size()];
            utf8Encoders = new PgBinaryRow.Utf8Encoder[targetColumns.size()];
            for (int i = 0; i < encoders.length; i++) {
                String name = targetColumns.get(i);
                TargetTable.Column c = target.column(name).orElseThrow(() -> new ExternalException(
                        ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot load into " + target.qualifiedName()
                        + ": it has no column " + name + " (it has " + target.columns().stream()
                        .map(TargetTable.Column::name).collect(Collectors.joining(", ")) + ")"));
                encoders[i] = PgBinaryRow.encoder(c.typeName(), c.typmod());
                if (encoders[i] == null) {
                    throw new ExternalException(ExternalErrorCode.LOAD_TARGET_INVALID, "Cannot load into column "
                            + c.name() + " of " + target.qualifiedName() + ": its type " + c.typeName()
                            + " is not supported by the binary loader (use a numeric, text, date/time, boolean, "
                            + "uuid, bytea or json column)");
                }
                longEncoders[i] = PgBinaryRow.longEncoder(c.typeName(), c.typmod(),
                        sourceTypes == null ? null : sourceTypes.get(i));
                utf8Encoders[i] = PgBinaryRow.utf8Encoder(c.typeName(), c.typmod());
                quoted.add(TargetTable.quote(c.name()));
            }
        }

        String sql() {
            return "COPY " + target.quoted() + " (" + String.join(", ", quoted) + ") FROM STDIN (FORMAT binary)";
        }

        /**
         * Encodes rows into {@code out} until it holds {@link #FLUSH_BYTES} or the rows end (then the
         * trailer is written too).
         *
         * @return whether rows remain
         */
        boolean fill(PgBinaryRow out, Rows it) {
            long n = rows;
            try {
                while (it.next()) {
                    TypedRow row = it.row();
                    seen++;
                    out.startRow(encoders.length);
                    int bad = -1;
                    String reason = null;
                    for (int i = 0; i < encoders.length; i++) {
                        byte form = row.form(i);
                        if (form == TypedRow.NULL) {
                            out.writeNull();
                            continue;
                        }
                        try {
                            if (form == TypedRow.LONG && longEncoders[i] != null) {
                                longEncoders[i].write(out, row.longValue(i));
                            } else if (form == TypedRow.UTF8 && utf8Encoders[i] != null) {
                                utf8Encoders[i].write(out, row.utf8(i));
                            } else {
                                encoders[i].write(out, row.object(i));
                            }
                        } catch (PgBinaryRow.Misfit e) {
                            bad = i;
                            reason = e.getMessage();
                            break;
                        }
                    }
                    if (bad >= 0) {
                        out.abortRow();
                        Reject r = new Reject(origin.file(), origin.row(seen), targetColumns.get(bad),
                                String.valueOf(row.object(bad)), reason + " (target " + target.qualifiedName() + ")");
                        if (origin.counted()) {
                            rejects.refused(r);
                        } else {
                            rejects.rejected(r);
                        }
                        continue;
                    }
                    n++;
                    if (out.pos >= FLUSH_BYTES) {
                        return true;
                    }
                }
                out.trailer();
                return false;
            } finally {
                rows = n;
            }
        }
    }

    private static void cancel(CopyIn copyIn) {
        if (copyIn != null && copyIn.isActive()) {
            try {
                copyIn.cancelCopy();
            } catch (SQLException e) {
                // the COPY is aborted either way; the caller rolls back
                return;
            }
        }
    }

    /** Writes the ingest.load row and the rejected rows, when the warehouse has the ingest schema. */
    static OptionalLong record(Connection tx, String kind, String source, TargetTable target, int files, long rows,
                               Rejects rejects, long bytes, Instant started) {
        try {
            try (Statement st = tx.createStatement();
                 ResultSet rs = st.executeQuery("select to_regclass('ingest.load') is not null")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return OptionalLong.empty();
                }
            }
            long id;
            try (PreparedStatement ps = tx.prepareStatement("insert into ingest.load (statement_kind, source_table, "
                    + "target_table, files, rows_loaded, rows_rejected, bytes_read, started_at) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?) returning load_id")) {
                ps.setString(1, kind);
                ps.setString(2, source);
                ps.setString(3, target.qualifiedName());
                ps.setInt(4, files);
                ps.setLong(5, rows);
                ps.setLong(6, rejects.rejected());
                ps.setLong(7, bytes);
                ps.setTimestamp(8, Timestamp.from(started));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            List<Reject> kept = rejects.kept();
            if (!kept.isEmpty()) {
                try (PreparedStatement ps = tx.prepareStatement("insert into ingest.reject (load_id, source_table, file, "
                        + "row_number, column_name, raw_value, reason) values (?, ?, ?, ?, ?, ?, ?)")) {
                    int batch = 0;
                    for (Reject r : kept) {
                        ps.setLong(1, id);
                        ps.setString(2, source);
                        ps.setString(3, r.file());
                        ps.setLong(4, r.row());
                        ps.setString(5, r.column());
                        ps.setString(6, r.rawValue() == null ? null : r.rawValue().replace("\0", ""));
                        ps.setString(7, r.reason());
                        ps.addBatch();
                        if (++batch == 1000) {
                            ps.executeBatch();
                            batch = 0;
                        }
                    }
                    ps.executeBatch();
                }
            }
            return OptionalLong.of(id);
        } catch (SQLException e) {
            throw new ExternalException(ExternalErrorCode.LOAD_FAILED, "Cannot record the load into "
                    + target.qualifiedName() + " in ingest.load / ingest.reject: " + e.getMessage(), e);
        }
    }
}
