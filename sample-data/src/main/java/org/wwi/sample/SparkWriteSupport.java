package org.wwi.sample;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Writes rows of type {@code T} straight to Parquet's {@link RecordConsumer} under a
 * {@link SparkSchema}; subclasses say, column by column, what a row holds.
 */
abstract class SparkWriteSupport<T> extends WriteSupport<T> {
    private final SparkSchema schema;
    private final String[] names;
    private RecordConsumer consumer;

    SparkWriteSupport(SparkSchema schema) {
        this.schema = requireNonNull(schema, "schema is null");
        List<SparkColumn> columns = schema.columns();
        this.names = columns.stream().map(SparkColumn::name).toArray(String[]::new);
    }

    @Override
    public final WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(schema.messageType(), schema.footerMetadata());
    }

    /** Required by the abstract Hadoop-based API; same as {@link #init(ParquetConfiguration)}. */
    @Override
    @SuppressWarnings("deprecation")
    public final WriteContext init(Configuration configuration) {
        return new WriteContext(schema.messageType(), schema.footerMetadata());
    }

    @Override
    public final void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = requireNonNull(recordConsumer, "recordConsumer is null");
    }

    @Override
    public final void write(T row) {
        consumer.startMessage();
        writeColumns(row);
        consumer.endMessage();
    }

    /** Writes the columns of {@code row} with the methods below, in column order. */
    abstract void writeColumns(T row);

    final void int32(int column, int value) {
        consumer.startField(names[column], column);
        consumer.addInteger(value);
        consumer.endField(names[column], column);
    }

    final void int64(int column, long value) {
        consumer.startField(names[column], column);
        consumer.addLong(value);
        consumer.endField(names[column], column);
    }

    final void float32(int column, float value) {
        consumer.startField(names[column], column);
        consumer.addFloat(value);
        consumer.endField(names[column], column);
    }

    final void bool(int column, boolean value) {
        consumer.startField(names[column], column);
        consumer.addBoolean(value);
        consumer.endField(names[column], column);
    }

    /** A BINARY, INT96 or FIXED_LEN_BYTE_ARRAY value; null leaves the column null. */
    final void binary(int column, Binary value) {
        if (value == null) {
            return;
        }
        consumer.startField(names[column], column);
        consumer.addBinary(value);
        consumer.endField(names[column], column);
    }

    final void string(int column, Utf8Text value) {
        binary(column, value == null ? null : value.binary());
    }
}
