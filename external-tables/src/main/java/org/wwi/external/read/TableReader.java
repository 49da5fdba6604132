package org.wwi.external.read;

import org.apache.hadoop.fs.FileSystem;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.FileFormatDef;
import org.wwi.external.ResolvedTable;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Listing;
import org.wwi.external.storage.Storage;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads an external table: lists its files ({@link Storage#list}), prunes them by partition
 * predicates, and opens a {@link FileCursor} per file for the requested columns in the table's
 * file format (Parquet or delimited text). The storage stays owned by the caller.
 */
public final class TableReader {
    private final ResolvedTable table;
    private final Storage storage;
    private final ScanStats stats = new ScanStats();

    public TableReader(ResolvedTable table, Storage storage) {
        this.table = requireNonNull(table, "table is null");
        this.storage = requireNonNull(storage, "storage is null");
    }

    public ResolvedTable table() {
        return table;
    }

    public ScanStats stats() {
        return stats;
    }

    /** The table's files, Spark conventions applied. */
    public Listing list() {
        return storage.list(table.locationUri(), table.table());
    }

    /** The files whose partition values may satisfy every predicate on a partition column. */
    public List<FileRef> prune(List<FileRef> files, List<Predicate> predicates) {
        List<FileRef> kept = new ArrayList<>();
        for (FileRef f : files) {
            if (mayMatch(f, predicates)) {
                kept.add(f);
            }
        }
        return kept;
    }

    private boolean mayMatch(FileRef file, List<Predicate> predicates) {
        List<ExternalColumn> columns = table.table().columns();
        for (Predicate p : predicates) {
            ExternalColumn c = columns.get(p.column());
            if (c.partitionColumn() && !p.test(partitionValue(file, c))) {
                return false;
            }
        }
        return true;
    }

    /** The typed value of a partition column for a file (null when its folder is missing or the Hive default). */
    public Object partitionValue(FileRef file, ExternalColumn column) {
        String text = file.partitions().get(column.name());
        if (text == null) {
            return null;
        }
        try {
            return TextValues.parse(column.type(), text, Optional.empty());
        } catch (TextValues.BadValue e) {
            throw new ExternalException(ExternalErrorCode.TYPE_MISMATCH, "Cannot read partition column "
                    + column.name() + " of external table " + table.table().qualifiedName() + " from folder "
                    + column.name() + "=" + text + " of " + file.path() + ": " + e.getMessage()
                    + " (declare the column with a type that fits the folder names)");
        }
    }

    /**
     * Opens a file for the given columns (indexes into the table's declared columns).
     *
     * @param predicates pushed predicates, used to skip row groups; the caller still filters the rows
     */
    public FileCursor open(FileRef file, int[] columns, List<Predicate> predicates, Rejects rejects) {
        return open(file, columns, predicates, rejects, false);
    }

    /**
     * As {@link #open}, for a reader of {@link FileCursor#typedRow()}: Parquet integers, decimals,
     * timestamps and text are kept as numbers and UTF-8 bytes, not as one Java object per value
     * ({@link FileCursor#row()} still builds the objects when asked).
     */
    public FileCursor openTyped(FileRef file, int[] columns, List<Predicate> predicates, Rejects rejects) {
        return open(file, columns, predicates, rejects, true);
    }

    private FileCursor open(FileRef file, int[] columns, List<Predicate> predicates, Rejects rejects, boolean typed) {
        requireNonNull(file, "file is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(predicates, "predicates is null");
        requireNonNull(rejects, "rejects is null");
        ExternalTableDef def = table.table();
        ExternalColumn[] requested = new ExternalColumn[columns.length];
        Object[] partitionValues = null;
        for (int i = 0; i < columns.length; i++) {
            requested[i] = def.columns().get(columns[i]);
            if (requested[i].partitionColumn()) {
                if (partitionValues == null) {
                    partitionValues = new Object[columns.length];
                }
                partitionValues[i] = partitionValue(file, requested[i]);
            }
        }
        FileSystem fs = storage.fileSystem(URI.create(file.path()));
        String name = def.qualifiedName();
        try {
            if (table.format().type() == FileFormatDef.FormatType.PARQUET) {
                return new ParquetCursor(name, file, new StorageInputFile(fs, file), requested, partitionValues,
                        def.columns(), predicates, rejects, stats, typed);
            }
            return new DelimitedCursor(name, file, fs, table.format().options(), table.format().compression(),
                    def.fileColumns(), requested, partitionValues, rejects, stats);
        } catch (ExternalException e) {
            throw e;
        } catch (RuntimeException e) {
            throw storage.failure("read", file.path(), e);
        }
    }

    /**
     * The rows of many files. Parquet footers of local files are read in turn on the calling thread
     * (a footer costs microseconds: handing files to other threads costs more than it saves); on
     * remote storage, where a footer's cost is the round trip, up to 16 are read at once. Text files
     * are read in turn.
     */
    public long countRows(List<FileRef> files, Rejects rejects) {
        if (table.format().type() != FileFormatDef.FormatType.PARQUET || files.size() < 2
                || isLocal(storage.fileSystem(URI.create(files.get(0).path())))) {
            long n = 0;
            for (FileRef f : files) {
                n += countRows(f, rejects);
            }
            return n;
        }
        int threads = Math.min(16, files.size());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "wwi-footers");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<Long>> counts = new ArrayList<>(files.size());
            for (FileRef f : files) {
                counts.add(pool.submit(() -> countRows(f, rejects)));
            }
            long n = 0;
            for (java.util.concurrent.Future<Long> c : counts) {
                n += c.get();
            }
            return n;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ExternalException(ExternalErrorCode.STORAGE_FAILED, "Cannot read the footers of external table "
                    + table.table().qualifiedName() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExternalException(ExternalErrorCode.STORAGE_FAILED, "Interrupted while reading the footers of "
                    + "external table " + table.table().qualifiedName(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Rows in a file. Parquet: from the footer, without reading any page. Text: the rows that
     * convert (every row is read and checked, rejected rows are reported to {@code rejects}).
     */
    public long countRows(FileRef file, Rejects rejects) {
        if (table.format().type() == FileFormatDef.FormatType.PARQUET) {
            URI uri = URI.create(file.path());
            FileSystem fs = storage.fileSystem(uri);
            String name = table.table().qualifiedName();
            FooterRows.Count count;
            try {
                count = FooterRows.read(isLocal(fs) ? FooterRows.local(java.nio.file.Path.of(uri))
                        : FooterRows.stream(new StorageInputFile(fs, file)), file, name);
            } catch (java.io.IOException e) {
                throw storage.failure("read", file.path(), e);
            }
            long rows = count.encrypted() ? ParquetCursor.footerRowsByReader(new StorageInputFile(fs, file), file, name)
                    : count.rows();
            stats.footerOnlyFiles.increment();
            stats.rows.add(rows);
            return rows;
        }
        long n = 0;
        try (FileCursor c = open(file, new int[0], List.of(), rejects)) {
            while (c.next()) {
                n++;
            }
        }
        return n;
    }

    private static boolean isLocal(FileSystem fs) {
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem || fs instanceof org.apache.hadoop.fs.RawLocalFileSystem;
    }
}
