package org.wwi.elt;

import org.wwi.external.Catalog;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.FileFormatDef;
import org.wwi.external.ResolvedTable;
import org.wwi.external.load.ColumnMapping;
import org.wwi.external.load.LoadResult;
import org.wwi.external.load.Loader;
import org.wwi.external.load.TargetTable;
import org.wwi.external.read.Rejects;
import org.wwi.external.read.TableReader;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Storage;
import org.wwi.platform.Progress;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * {@link SourceTables} over the external-tables module: the catalog resolves a table, its data
 * source's {@link Storage} lists it (Spark conventions: hidden files skipped, Hive partitions,
 * {@code _SUCCESS}) and the {@link Loader} streams one file into the staging table by binary COPY
 * inside the caller's transaction. Storage handles are kept per table until {@link #close}.
 */
final class ExternalSourceTables implements SourceTables {
    private final Catalog catalog;
    private final Map<String, Resolved> tables = new HashMap<>();
    private final Map<String, FileRef> files = new HashMap<>();
    private final Map<String, TargetTable> targets = new HashMap<>();

    private record Resolved(ResolvedTable table, Storage storage) {
    }

    ExternalSourceTables(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    private synchronized Resolved resolved(String table) {
        return tables.computeIfAbsent(table.toLowerCase(java.util.Locale.ROOT), t -> {
            int dot = table.indexOf('.');
            ResolvedTable r = catalog.resolved(table.substring(0, dot), table.substring(dot + 1));
            return new Resolved(r, Storage.open(r, catalog));
        });
    }

    @Override
    public Listing list(String table, boolean requireSuccess) {
        Resolved r = resolved(table);
        ExternalTableDef def = r.table().table();
        if (requireSuccess && !def.requireSuccessFile()) {
            Map<String, String> options = new LinkedHashMap<>(def.options());
            options.put(ExternalTableDef.REQUIRE_SUCCESS_FILE, "TRUE");
            def = new ExternalTableDef(def.schema(), def.name(), def.columns(), def.location(), def.dataSource(),
                    def.fileFormat(), def.reject(), options);
        }
        org.wwi.external.storage.Listing listing = r.storage().list(r.table().locationUri(), def);
        List<SourceFile> out = new ArrayList<>();
        synchronized (this) {
            for (FileRef f : listing.files()) {
                files.put(f.path(), f);
                Map<String, String> partitions = new LinkedHashMap<>();
                f.partitions().forEach((k, v) -> partitions.put(k, v == null ? "" : v));
                out.add(new SourceFile(f.path(), f.length(), Instant.ofEpochMilli(f.modified()), partitions,
                        Optional.empty()));
            }
        }
        return new Listing(out, listing.skippedIncomplete());
    }

    @Override
    public OptionalLong rowCount(String table, SourceFile file) {
        Resolved r = resolved(table);
        if (r.table().format().type() != FileFormatDef.FormatType.PARQUET) {
            return OptionalLong.empty();
        }
        FileRef ref = ref(file);
        try {
            return OptionalLong.of(new TableReader(r.table(), r.storage()).countRows(ref,
                    new Rejects(r.table().table().qualifiedName(), r.table().table().reject())));
        } catch (RuntimeException e) {
            // a corrupt footer fails the load itself, with the reader's message
            return OptionalLong.empty();
        }
    }

    @Override
    public FileLoad load(Connection tx, String table, SourceFile file, String target, Map<String, String> columns,
                         Progress progress) {
        Resolved r = resolved(table);
        TargetTable t;
        synchronized (this) {
            t = targets.get(target);
        }
        if (t == null) {
            int dot = target.indexOf('.');
            t = TargetTable.describe(tx, target.substring(0, dot), target.substring(dot + 1));
            synchronized (this) {
                targets.put(target, t);
            }
        }
        ColumnMapping mapping = columns.isEmpty() ? ColumnMapping.byName(r.table().table(), t)
                : new ColumnMapping(List.copyOf(columns.keySet()), columns.keySet().stream().map(columns::get).toList());
        LoadResult result = Loader.load(tx, r.table(), r.storage(), List.of(ref(file)), t, mapping, progress, "API");
        return new FileLoad(result.rows(), result.rejected(), result.loadId());
    }

    private synchronized FileRef ref(SourceFile file) {
        FileRef ref = files.get(file.path());
        if (ref != null) {
            return ref;
        }
        Map<String, String> partitions = new LinkedHashMap<>(file.partitions());
        return new FileRef(file.path(), file.size(), file.modified().toEpochMilli(), partitions);
    }

    @Override
    public synchronized void close() {
        for (Resolved r : tables.values()) {
            r.storage().close();
        }
        tables.clear();
        files.clear();
        targets.clear();
    }
}
