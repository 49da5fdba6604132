package org.wwi.sample;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Writes files the way a Spark job does on a Hadoop file system: snappy Parquet part files with
 * Spark's settings and names, {@code _SUCCESS} markers, and (through Hadoop's checksummed local
 * file system) a {@code .name.crc} file beside every file.
 */
final class SparkParquet {
    static final String SUCCESS = "_SUCCESS";
    private static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;
    private static final int PAGE_BYTES = 1024 * 1024;

    private final Configuration configuration;
    private final FileSystem fileSystem;

    private SparkParquet(Configuration configuration, FileSystem fileSystem) {
        this.configuration = configuration;
        this.fileSystem = fileSystem;
    }

    /** Hadoop's local file system ({@code file:}), which writes the {@code .crc} files. */
    static SparkParquet local() throws IOException {
        Configuration configuration = new Configuration();
        configuration.set("fs.file.impl", NioLocalFileSystem.class.getName());
        configuration.setBoolean("fs.file.impl.disable.cache", true);
        return new SparkParquet(configuration, FileSystem.getLocal(configuration));
    }

    /** Spark's part-file name: {@code part-00000-<job uuid>-c000.snappy.parquet}. */
    static String partFileName(int part, UUID job) {
        return String.format(Locale.ROOT, "part-%05d-%s-c000.snappy.parquet", part, job);
    }

    /** Opens a new Parquet file; fails if it exists. */
    <T> ParquetWriter<T> open(Path file, SparkWriteSupport<T> writeSupport) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(writeSupport, "writeSupport is null");
        Configuration conf = new Configuration(configuration);
        OutputFile output = HadoopOutputFile.fromPath(hadoopPath(file), conf);
        return new Builder<>(output, writeSupport)
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withDictionaryEncoding(true)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withPageSize(PAGE_BYTES)
                .withSizeStatisticsEnabled(false)
                .build();
    }

    /** Receives rows; may fail with an I/O error. */
    @FunctionalInterface
    interface RowSink<T> {
        void accept(T row) throws IOException;
    }

    /** Produces rows into a sink. */
    @FunctionalInterface
    interface RowSource<T> {
        void emit(RowSink<T> sink) throws IOException;
    }

    /**
     * Writes an unpartitioned dataset the way one Spark job with one task does:
     * {@code folder/part-00000-<job>-c000.snappy.parquet}, then {@code folder/_SUCCESS}.
     *
     * @return the rows written
     */
    <T> long writeDataset(Path folder, UUID job, SparkWriteSupport<T> writeSupport, RowSource<T> rows)
            throws IOException {
        long[] count = {0};
        try (ParquetWriter<T> writer = open(folder.resolve(partFileName(0, job)), writeSupport)) {
            rows.emit(row -> {
                writer.write(row);
                count[0]++;
            });
        }
        writeSuccess(folder);
        return count[0];
    }

    /** Writes the empty {@code _SUCCESS} file (and its {@code ._SUCCESS.crc}) into {@code folder}. */
    void writeSuccess(Path folder) throws IOException {
        fileSystem.create(hadoopPath(folder.resolve(SUCCESS)), true).close();
    }

    private static org.apache.hadoop.fs.Path hadoopPath(Path file) {
        return new org.apache.hadoop.fs.Path(file.toAbsolutePath().toUri());
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final WriteSupport<T> writeSupport;

        Builder(OutputFile file, WriteSupport<T> writeSupport) {
            super(file);
            this.writeSupport = writeSupport;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return writeSupport;
        }

        @Override
        @SuppressWarnings("deprecation")
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return writeSupport;
        }
    }
}
