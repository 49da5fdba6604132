package org.wwi.elt;

import org.wwi.platform.Progress;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The external tables that {@code load} steps read: list a table's files and load one file into a
 * staging table inside the caller's transaction (so the file's ledger row commits with its rows).
 * {@link ExternalSourceTables} implements it over the external-tables module.
 */
interface SourceTables extends AutoCloseable {

    /** A data file of an external table. */
    record SourceFile(String path, long size, Instant modified, Map<String, String> partitions,
                      Optional<String> checksum) {
        public SourceFile {
            requireNonNull(path, "path is null");
            requireNonNull(modified, "modified is null");
            partitions = Map.copyOf(requireNonNull(partitions, "partitions is null"));
            requireNonNull(checksum, "checksum is null");
        }
    }

    /**
     * What listing a table found.
     *
     * @param incompleteFolders folders with data files but no {@code _SUCCESS} (Spark is still writing, or failed)
     */
    record Listing(List<SourceFile> files, List<String> incompleteFolders) {
        public Listing {
            files = List.copyOf(files);
            incompleteFolders = List.copyOf(incompleteFolders);
        }
    }

    /** What loading a file did; {@code ingestLoadId} is the external-tables load whose rejected rows it wrote. */
    record FileLoad(long rows, long rejected, OptionalLong ingestLoadId) {
    }

    /**
     * The files of external table {@code table} (schema.name), sorted by path.
     *
     * @param requireSuccess only files in folders that hold Spark's {@code _SUCCESS}
     */
    Listing list(String table, boolean requireSuccess);

    /** The rows of a file when cheap to know (Parquet footers); for progress bars. */
    OptionalLong rowCount(String table, SourceFile file);

    /**
     * Loads one file into {@code target} in the caller's transaction {@code tx}.
     *
     * @param columns target column to external column; empty: matched by name
     */
    FileLoad load(Connection tx, String table, SourceFile file, String target, Map<String, String> columns,
                  Progress progress);

    @Override
    void close();
}
