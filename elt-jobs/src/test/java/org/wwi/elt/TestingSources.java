package org.wwi.elt;

import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.platform.Progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A real {@link SourceTables} over files kept in memory: each file is a list of rows (target column
 * to value) that a load inserts into the staging table with plain JDBC in the caller's transaction.
 * A file can be made corrupt (its load fails after inserting some rows, as a truncated file would).
 */
final class TestingSources implements SourceTables {
    private final Map<String, TreeMap<String, TestFile>> tables = new LinkedHashMap<>();
    private final List<String> incomplete = new ArrayList<>();
    int loads;

    record TestFile(SourceFile file, List<Map<String, Object>> rows, boolean corrupt) {
    }

    TestingSources put(String table, String path, List<Map<String, Object>> rows) {
        return put(table, path, Map.of(), rows, false, Instant.parse("2026-08-01T00:00:00Z"));
    }

    TestingSources put(String table, String path, Map<String, String> partitions, List<Map<String, Object>> rows,
                       boolean corrupt, Instant modified) {
        long size = 100 + rows.toString().length();
        tables.computeIfAbsent(table, t -> new TreeMap<>()).put(path, new TestFile(new SourceFile(path, size, modified,
                partitions, Optional.empty()), List.copyOf(rows), corrupt));
        return this;
    }

    TestingSources remove(String table, String path) {
        tables.get(table).remove(path);
        return this;
    }

    /** The file rewritten in place: same path, other size and time. */
    TestingSources touch(String table, String path) {
        TestFile f = tables.get(table).get(path);
        List<Map<String, Object>> rows = new ArrayList<>(f.rows());
        rows.add(rows.get(0));
        return put(table, path, f.file().partitions(), rows, false, f.file().modified().plusSeconds(60));
    }

    TestingSources incompleteFolder(String folder) {
        incomplete.add(folder);
        return this;
    }

    @Override
    public Listing list(String table, boolean requireSuccess) {
        TreeMap<String, TestFile> files = tables.get(table);
        if (files == null) {
            throw new ExternalException(ExternalErrorCode.NOT_FOUND, "Cannot find external table " + table);
        }
        return new Listing(files.values().stream().map(TestFile::file).toList(), requireSuccess ? incomplete
                : List.of());
    }

    @Override
    public OptionalLong rowCount(String table, SourceFile file) {
        return OptionalLong.of(tables.get(table).get(file.path()).rows().size());
    }

    @Override
    public FileLoad load(Connection tx, String table, SourceFile file, String target, Map<String, String> columns,
                         Progress progress) {
        loads++;
        TestFile f = tables.get(table).get(file.path());
        long n = 0;
        for (Map<String, Object> row : f.rows()) {
            if (f.corrupt() && n == f.rows().size() / 2) {
                throw new ExternalException(ExternalErrorCode.FILE_CORRUPT, "Cannot read " + file.path()
                        + ": not a Parquet file (truncated footer)");
            }
            List<String> cols = new ArrayList<>(row.keySet());
            String sql = "insert into " + target + " (" + String.join(", ", cols) + ") values ("
                    + String.join(", ", cols.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement ps = tx.prepareStatement(sql)) {
                for (int i = 0; i < cols.size(); i++) {
                    ps.setObject(i + 1, row.get(cols.get(i)));
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new ExternalException(ExternalErrorCode.LOAD_FAILED, "Cannot load into " + target + ": "
                        + e.getMessage(), e);
            }
            n++;
            progress.advance(1);
        }
        if (f.corrupt()) {
            throw new ExternalException(ExternalErrorCode.FILE_CORRUPT, "Cannot read " + file.path()
                    + ": not a Parquet file (truncated footer)");
        }
        return new FileLoad(n, 0, OptionalLong.empty());
    }

    @Override
    public void close() {
    }
}
