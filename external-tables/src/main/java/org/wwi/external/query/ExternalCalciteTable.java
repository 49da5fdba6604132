package org.wwi.external.query;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.wwi.external.Catalog;
import org.wwi.external.ExternalColumn;
import org.wwi.external.FileFormatDef;
import org.wwi.external.ResolvedTable;
import org.wwi.external.read.FileCursor;
import org.wwi.external.read.Rejects;
import org.wwi.external.read.TableReader;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Listing;
import org.wwi.external.storage.Storage;

import java.util.ArrayList;
import java.util.List;

/**
 * An external table as a Calcite table: translatable into an {@link ExternalScan}, into which the
 * planner pushes projections, filters and {@code count(*)}; at run time it reads through
 * {@link TableReader}. Listings are cached until {@link #refresh()} (once per statement).
 */
final class ExternalCalciteTable extends AbstractTable implements TranslatableTable {
    private final Catalog catalog;
    private final ResolvedTable table;
    private final Rejects statementRejects;
    private Listing listing;

    /**
     * @param statementRejects where a finished scan hands its rejected rows (a load records them in
     *                         the reject table), or null when nobody records them (a plain query)
     */
    ExternalCalciteTable(Catalog catalog, ResolvedTable table, Rejects statementRejects) {
        this.catalog = catalog;
        this.table = table;
        this.statementRejects = statementRejects;
    }

    /** Hands a finished scan's rejected rows to the statement, once. */
    private void handOver(Rejects rejects) {
        if (statementRejects != null && rejects.rejected() > 0) {
            synchronized (statementRejects) {
                statementRejects.addChecked(rejects);
            }
        }
    }

    ResolvedTable table() {
        return table;
    }

    synchronized void refresh() {
        listing = null;
    }

    /** The table's files (cached for the statement). */
    synchronized Listing listing() {
        if (listing == null) {
            try (Storage storage = Storage.open(table, catalog)) {
                listing = new TableReader(table, storage).list();
            }
        }
        return listing;
    }

    /** The files a spec reads after partition pruning. */
    List<FileRef> files(ScanSpec spec) {
        Listing l = listing();
        try (Storage storage = Storage.open(table, catalog)) {
            return new TableReader(table, storage).prune(l.files(), spec.predicates());
        }
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        RelDataTypeFactory.Builder b = typeFactory.builder();
        for (ExternalColumn c : table.table().columns()) {
            b.add(c.name(), CalciteValues.type(typeFactory, c));
        }
        return b.build();
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        return new ExternalScan(context.getCluster(), relOptTable, this,
                ScanSpec.all(table.table().columns().size()));
    }

    /** The rows of a scan (Object[] per row, or the value itself for one column). */
    Enumerable<Object> scan(ScanSpec spec) {
        if (spec.counting()) {
            long n = count(spec);
            Object[] row = new Object[spec.countCalls()];
            java.util.Arrays.fill(row, n);
            return Linq4j.asEnumerable(List.of(spec.countCalls() == 1 ? (Object) n : (Object) row));
        }
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object> enumerator() {
                return new ScanEnumerator(spec);
            }
        };
    }

    /** {@code count(*)}: Parquet footers only; text files are read (rows that reject are not counted). */
    long count(ScanSpec spec) {
        Rejects rejects = new Rejects(table.table().qualifiedName(), table.table().reject());
        long n = 0;
        try (Storage storage = Storage.open(table, catalog)) {
            TableReader reader = new TableReader(table, storage);
            n = reader.countRows(reader.prune(listing().files(), spec.predicates()), rejects);
        }
        rejects.finish();
        handOver(rejects);
        return n;
    }

    boolean parquet() {
        return table.format().type() == FileFormatDef.FormatType.PARQUET;
    }

    private final class ScanEnumerator implements Enumerator<Object> {
        private final ScanSpec spec;
        private final Storage storage;
        private final TableReader reader;
        private final List<FileRef> files;
        private final Rejects rejects;
        private final boolean partitionOnly;
        private int next;
        private FileCursor cursor;
        private long footerRowsLeft;
        private Object[] partitionRow;
        private Object current;
        private boolean finished;

        ScanEnumerator(ScanSpec spec) {
            this.spec = spec;
            this.storage = Storage.open(table, catalog);
            this.reader = new TableReader(table, storage);
            this.files = new ArrayList<>(reader.prune(listing().files(), spec.predicates()));
            this.rejects = new Rejects(table.table().qualifiedName(), table.table().reject());
            boolean anyFileColumn = false;
            for (int c : spec.columns()) {
                anyFileColumn |= !table.table().columns().get(c).partitionColumn();
            }
            this.partitionOnly = !anyFileColumn && parquet();
        }

        @Override
        public Object current() {
            return current;
        }

        @Override
        public boolean moveNext() {
            while (true) {
                if (partitionOnly && footerRowsLeft > 0) {
                    footerRowsLeft--;
                    current = shape(partitionRow);
                    return true;
                }
                if (cursor != null) {
                    if (cursor.next()) {
                        current = shape(cursor.row());
                        return true;
                    }
                    cursor.close();
                    cursor = null;
                }
                if (next >= files.size()) {
                    if (!finished) {
                        rejects.finish();
                        finished = true;
                        handOver(rejects);
                    }
                    return false;
                }
                FileRef f = files.get(next++);
                if (partitionOnly) {
                    // only Hive folder values asked for: rows from the footer, no page read
                    footerRowsLeft = reader.countRows(f, rejects);
                    partitionRow = new Object[spec.columns().length];
                    for (int i = 0; i < partitionRow.length; i++) {
                        partitionRow[i] = reader.partitionValue(f, table.table().columns().get(spec.columns()[i]));
                    }
                } else {
                    cursor = reader.open(f, spec.columns(), spec.predicates(), rejects);
                }
            }
        }

        private Object shape(Object[] row) {
            if (row.length == 1) {
                return CalciteValues.toCalcite(row[0]);
            }
            Object[] out = new Object[row.length];
            for (int i = 0; i < row.length; i++) {
                out[i] = CalciteValues.toCalcite(row[i]);
            }
            return out;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("reset");
        }

        @Override
        public void close() {
            if (!finished) {
                // closed before the end (a LIMIT): the rows rejected so far still count
                finished = true;
                handOver(rejects);
            }
            if (cursor != null) {
                cursor.close();
                cursor = null;
            }
            storage.close();
        }
    }
}
