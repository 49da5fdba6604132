package org.wwi.external.read;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.storage.FileRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.stream.Collectors;

/**
 * Reads the requested columns of one Parquet file: only their column chunks are read (projection),
 * row groups whose statistics, dictionaries or column indexes exclude the pushed predicates are
 * skipped, and file columns are matched to declared columns by name, case-insensitively. Flat
 * (non-repeated) columns, the common case, are read column reader by column reader, a value of
 * each per row, without parquet's record assembly; repeated ones go through parquet's
 * {@link RecordReader}.
 */
final class ParquetCursor implements FileCursor, ParquetColumns.Row {
    private final String table;
    private final FileRef file;
    private final StorageInputFile input;
    private final ExternalColumn[] columns;
    private final Object[] partitionValues;
    private final Rejects rejects;
    private final ScanStats stats;
    private final ParquetFileReader reader;
    private final MessageType requestedSchema;
    private final MessageColumnIO columnIO;
    private final Materializer materializer;
    /** Column readers of the current row group, when every requested column is flat; else {@link #records}. */
    private ColumnReader[] columnReaders;
    private int[] maxDefinitionLevels;
    private final boolean flat;
    private RecordReader<Object[]> records;
    private long remaining;
    private PrimitiveIterator.OfLong rowIndexes;
    private long nextIndex;
    private int group = -1;
    private Object[] current;
    private long rowNumber;
    private int rejectSlot = -1;
    private String rejectRaw;
    private String rejectReason;
    /** Values kept in {@link TypedRow}'s forms (flat columns opened typed): the current row's, per slot. */
    private final boolean typed;
    private final byte[] initialForms;
    private final byte[] forms;
    private final long[] longs;
    private final byte[][] utf8s;
    private final Object[] objects;
    private final TypedRow typedRow;

    ParquetCursor(String table, FileRef file, StorageInputFile input, ExternalColumn[] columns, Object[] partitionValues,
                  List<ExternalColumn> tableColumns, List<Predicate> predicates, Rejects rejects, ScanStats stats,
                  boolean typedValues) {
        this.table = table;
        this.file = file;
        this.input = input;
        this.columns = columns;
        this.partitionValues = partitionValues;
        this.rejects = rejects;
        this.stats = stats;
        ParquetFileReader r = openReader(input, file, table, Optional.empty());
        try {
            MessageType fileSchema = r.getFooter().getFileMetaData().getSchema();
            List<Type> requested = new ArrayList<>();
            List<PrimitiveConverter> converters = new ArrayList<>();
            boolean allFlat = true;
            for (ExternalColumn c : columns) {
                if (c != null && !c.partitionColumn()) {
                    allFlat &= !field(fileSchema, c).isRepetition(Type.Repetition.REPEATED);
                }
            }
            this.typed = typedValues && allFlat;
            for (int slot = 0; slot < columns.length; slot++) {
                ExternalColumn c = columns[slot];
                if (c == null || c.partitionColumn()) {
                    continue;
                }
                Type field = field(fileSchema, c);
                if (!field.isPrimitive()) {
                    throw mismatch(c, field.toString().strip(), "a nested column; only flat columns can be read");
                }
                PrimitiveType p = field.asPrimitiveType();
                int s = slot;
                PrimitiveConverter conv = ParquetColumns.converter(c, p, this, s, typed).orElseThrow(() -> mismatch(c,
                        ParquetColumns.describe(p) + ", that is " + ParquetColumns.sqlEquivalent(p),
                        "declare " + c.name() + " " + ParquetColumns.sqlEquivalent(p) + " or wider"));
                requested.add(field);
                converters.add(conv);
            }
            this.requestedSchema = new MessageType(fileSchema.getName(), requested);
            this.flat = allFlat;
            Optional<FilterPredicate> filter = ParquetFilters.toParquet(predicates, tableColumns, fileSchema);
            if (filter.isPresent()) {
                // reopen with the filter: row groups are chosen when the reader opens
                closeQuietly(r);
                r = openReader(input, file, table, filter);
            }
            int total = r.getFooter().getBlocks().size();
            stats.rowGroups.add(total);
            stats.rowGroupsSkipped.add(total - r.getRowGroups().size());
            r.setRequestedSchema(requestedSchema);
            this.columnIO = flat ? null : new ColumnIOFactory(r.getFooter().getFileMetaData().getCreatedBy())
                    .getColumnIO(requestedSchema, fileSchema, true);
            this.materializer = new Materializer(converters, columns.length, partitionValues);
            this.reader = r;
        } catch (RuntimeException e) {
            closeQuietly(r);
            throw e;
        }
        if (typed) {
            initialForms = new byte[columns.length];
            objects = new Object[columns.length];
            for (int i = 0; i < columns.length; i++) {
                if (partitionValues != null && partitionValues[i] != null) {
                    initialForms[i] = TypedRow.OBJECT;
                    objects[i] = partitionValues[i];
                }
            }
            forms = initialForms.clone();
            longs = new long[columns.length];
            utf8s = new byte[columns.length][];
            typedRow = new View();
        } else {
            initialForms = null;
            forms = null;
            longs = null;
            utf8s = null;
            objects = null;
            typedRow = null;
        }
        stats.files.increment();
    }

    static ParquetFileReader openReader(StorageInputFile input, FileRef file, String table,
                                        Optional<FilterPredicate> filter) {
        // HadoopReadOptions over the storage's configuration: ParquetReadOptions.builder() would build (and
        // parse the XML of) a new Hadoop Configuration for every file
        ParquetReadOptions.Builder options = org.apache.parquet.HadoopReadOptions.builder(input.configuration())
                .useStatsFilter(true).useDictionaryFilter(true).useColumnIndexFilter(true).useRecordFilter(false)
                .useBloomFilter(false);
        filter.ifPresent(f -> options.withRecordFilter(FilterCompat.get(f)));
        try {
            return ParquetFileReader.open(input, options.build());
        } catch (IOException | RuntimeException e) {
            throw corrupt(table, file, "its footer cannot be read", e);
        }
    }

    /** Rows of a file from its footer, through the full parquet reader (encrypted footers). */
    static long footerRowsByReader(StorageInputFile input, FileRef file, String table) {
        try (ParquetFileReader r = openReader(input, file, table, Optional.empty())) {
            return r.getFooter().getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
        } catch (IOException e) {
            throw corrupt(table, file, "it cannot be closed", e);
        }
    }

    static ExternalException corrupt(String table, FileRef file, String what, Throwable e) {
        if (e instanceof ExternalException x) {
            return x;
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "…";
        }
        return new ExternalException(ExternalErrorCode.FILE_CORRUPT, "Cannot read Parquet file " + file.path()
                + " of external table " + table + ": " + what + " (" + detail + "; the file is corrupt, truncated or "
                + "not Parquet: rewrite it, or move it out of the table's folder)", e);
    }

    private Type field(MessageType schema, ExternalColumn c) {
        for (Type f : schema.getFields()) {
            if (f.getName().equalsIgnoreCase(c.name())) {
                return f;
            }
        }
        throw new ExternalException(ExternalErrorCode.TYPE_MISMATCH, "Cannot read column " + c.name()
                + " of external table " + table + " from " + file.path() + ": the file has no such column (columns "
                + "are matched by name, case-insensitively; the file has " + schema.getFields().stream()
                .map(Type::getName).collect(Collectors.joining(", ")) + ")");
    }

    private ExternalException mismatch(ExternalColumn c, String fileType, String hint) {
        return new ExternalException(ExternalErrorCode.TYPE_MISMATCH, "Cannot read column " + c.name()
                + " of external table " + table + " from " + file.path() + ": the file holds " + fileType
                + ", which does not fit the declared " + c.type().sqlName() + " (" + hint + ")");
    }

    @Override
    public void set(int slot, Object value) {
        if (typed) {
            forms[slot] = TypedRow.OBJECT;
            objects[slot] = value;
        } else {
            materializer.row[slot] = value;
        }
    }

    @Override
    public void setLong(int slot, long value) {
        forms[slot] = TypedRow.LONG;
        longs[slot] = value;
    }

    @Override
    public void setUtf8(int slot, byte[] value) {
        forms[slot] = TypedRow.UTF8;
        utf8s[slot] = value;
    }

    @Override
    public void reject(int slot, String raw, String reason) {
        if (rejectSlot < 0) {
            rejectSlot = slot;
            rejectRaw = raw;
            rejectReason = reason;
        }
    }

    @Override
    public boolean next() {
        while (true) {
            if (remaining == 0 && !nextGroup()) {
                return false;
            }
            remaining--;
            rowNumber = (rowIndexes != null && rowIndexes.hasNext() ? rowIndexes.nextLong() : nextIndex++) + 1;
            Object[] row;
            try {
                row = typed ? readTyped() : flat ? readFlat() : records.read();
            } catch (RuntimeException e) {
                throw corrupt(table, file, "row group " + group + " cannot be decoded near row " + rowNumber, e);
            }
            if (rejectSlot >= 0) {
                rejects.rejected(new Reject(file.path(), rowNumber, columns[rejectSlot].name(), rejectRaw, rejectReason));
                rejectSlot = -1;
                continue;
            }
            int missing = typed ? missingNotNullTyped() : missingNotNull(row);
            if (missing >= 0) {
                rejects.rejected(new Reject(file.path(), rowNumber, columns[missing].name(), null,
                        "NULL in a NOT NULL column"));
                continue;
            }
            current = row;
            stats.rows.increment();
            rejects.accepted();
            return true;
        }
    }

    /** One row from the column readers: each column's value, or null below its maximum definition level. */
    private Object[] readFlat() {
        Object[] row = materializer.start();
        readColumns();
        return row;
    }

    /** As {@link #readFlat}, into the typed slots; returns null (the row is {@link #typedRow}). */
    private Object[] readTyped() {
        System.arraycopy(initialForms, 0, forms, 0, forms.length);
        readColumns();
        return null;
    }

    /** Hands each column reader's current value to its converter (none below the maximum definition level). */
    private void readColumns() {
        ColumnReader[] readers = columnReaders;
        int[] maxDef = maxDefinitionLevels;
        for (int i = 0; i < readers.length; i++) {
            ColumnReader c = readers[i];
            if (c.getCurrentDefinitionLevel() == maxDef[i]) {
                c.writeCurrentValueToConverter();
            }
            c.consume();
        }
    }

    private int missingNotNullTyped() {
        for (int i = 0; i < columns.length; i++) {
            if (forms[i] == TypedRow.NULL && columns[i] != null && !columns[i].nullable()) {
                return i;
            }
        }
        return -1;
    }

    private int missingNotNull(Object[] row) {
        for (int i = 0; i < columns.length; i++) {
            if (row[i] == null && columns[i] != null && !columns[i].nullable()) {
                return i;
            }
        }
        return -1;
    }

    private boolean nextGroup() {
        PageReadStore pages;
        try {
            pages = reader.readNextFilteredRowGroup();
        } catch (IOException | RuntimeException e) {
            throw corrupt(table, file, "row group " + (group + 1) + " cannot be read", e);
        }
        if (pages == null) {
            return false;
        }
        group++;
        remaining = pages.getRowCount();
        rowIndexes = pages.getRowIndexes().orElse(null);
        nextIndex = pages.getRowIndexOffset().orElse(0L);
        if (flat || typed) {
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, materializer.getRootConverter(), requestedSchema,
                    reader.getFooter().getFileMetaData().getCreatedBy());
            List<ColumnDescriptor> descriptors = requestedSchema.getColumns();
            columnReaders = new ColumnReader[descriptors.size()];
            maxDefinitionLevels = new int[descriptors.size()];
            for (int i = 0; i < columnReaders.length; i++) {
                columnReaders[i] = store.getColumnReader(descriptors.get(i));
                maxDefinitionLevels[i] = descriptors.get(i).getMaxDefinitionLevel();
            }
        } else {
            records = columnIO.getRecordReader(pages, materializer, FilterCompat.NOOP);
        }
        return true;
    }

    @Override
    public Object[] row() {
        if (typed) {
            Object[] row = new Object[columns.length];
            for (int i = 0; i < row.length; i++) {
                row[i] = typedRow.object(i);
            }
            return row;
        }
        return current;
    }

    @Override
    public TypedRow typedRow() {
        return typed ? typedRow : TypedRow.of(current);
    }

    /** The current row's typed slots. */
    private final class View extends TypedRow {
        @Override
        public byte form(int slot) {
            return forms[slot];
        }

        @Override
        public long longValue(int slot) {
            return longs[slot];
        }

        @Override
        public byte[] utf8(int slot) {
            return utf8s[slot];
        }

        @Override
        public Object object(int slot) {
            return switch (forms[slot]) {
                case NULL -> null;
                case LONG -> objectOf(columns[slot], longs[slot]);
                case UTF8 -> stringOf(utf8s[slot]);
                default -> objects[slot];
            };
        }
    }

    @Override
    public long rowNumber() {
        return rowNumber;
    }

    @Override
    public FileRef file() {
        return file;
    }

    @Override
    public long bytesRead() {
        return input.bytesRead.get();
    }

    @Override
    public void close() {
        closeQuietly(reader);
    }

    private static void closeQuietly(ParquetFileReader r) {
        try {
            if (r != null) {
                r.close();
            }
        } catch (IOException e) {
            // read-only: nothing to lose
            return;
        }
    }

    /** Builds one fresh Object[] per record; partition values are copied in at the start. */
    private static final class Materializer extends RecordMaterializer<Object[]> {
        private final int width;
        private final Object[] partitionValues;
        private final Root root;
        Object[] row;

        Materializer(List<PrimitiveConverter> converters, int width, Object[] partitionValues) {
            this.width = width;
            this.partitionValues = partitionValues;
            this.root = new Root(converters);
        }

        @Override
        public Object[] getCurrentRecord() {
            return row;
        }

        /** A fresh row, partition values in place, that the converters fill. */
        Object[] start() {
            row = partitionValues == null ? new Object[width] : partitionValues.clone();
            return row;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }

        private final class Root extends GroupConverter {
            private final List<PrimitiveConverter> converters;

            Root(List<PrimitiveConverter> converters) {
                this.converters = converters;
            }

            @Override
            public Converter getConverter(int fieldIndex) {
                return converters.get(fieldIndex);
            }

            @Override
            public void start() {
                Materializer.this.start();
            }

            @Override
            public void end() {
            }
        }
    }
}
