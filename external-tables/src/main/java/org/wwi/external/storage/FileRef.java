package org.wwi.external.storage;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One data file of an external table, as listed from storage.
 *
 * @param path       the full Hadoop path (URI string), e.g. {@code file:/lake/weblogs/TransactionDay=2026-08-01/part-….parquet}
 * @param length     bytes
 * @param modified   last modification, epoch milliseconds
 * @param partitions values of the Hive {@code key=value} folders above the file, keyed by the declared
 *                   partition column name (as declared); unescaped, as strings
 */
public record FileRef(String path, long length, long modified, Map<String, String> partitions) {

    public FileRef {
        requireNonNull(path, "path is null");
        partitions = Map.copyOf(requireNonNull(partitions, "partitions is null"));
        if (length < 0) {
            throw new IllegalArgumentException("length must be 0 or more, not " + length);
        }
    }

    /** The file name (last path segment). */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
