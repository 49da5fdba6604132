package org.wwi.sample;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.wwi.platform.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Fixtures for the sample-data tests: small specs, Parquet reading through parquet-avro. */
final class TestingSampleData {
    static final LocalDate START = LocalDate.of(2026, 8, 1);

    private TestingSampleData() {
    }

    /** 20,000 events over 5 days, 4,000 users (so user 3696 exists), 300 products. */
    static WeblogSpec smallSpec(Path out) {
        return new WeblogSpec(out, 20_000, 7, START, 5, 4_000, 300);
    }

    static GenerationResult generate(WeblogSpec spec) {
        return WeblogGenerator.generate(spec, Progress.none());
    }

    /** The visible part files of a dataset, partition folders and part numbers in order. */
    static List<Path> partFiles(Path dataset) {
        try (Stream<Path> files = Files.walk(dataset)) {
            return files.filter(file -> file.getFileName().toString().startsWith("part-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All rows of a dataset, in file order, read by parquet-avro (INT96 as 12-byte fixed). */
    static List<GenericRecord> readDataset(Path dataset) {
        List<GenericRecord> rows = new ArrayList<>();
        for (Path file : partFiles(dataset)) {
            rows.addAll(readFile(file));
        }
        return rows;
    }

    static List<GenericRecord> readFile(Path file) {
        Configuration conf = new Configuration(false);
        conf.setBoolean("parquet.avro.readInt96AsFixed", true);
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withConf(conf).build()) {
            for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static ParquetMetadata footer(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getFooter();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Relative path of every file under {@code root} → its bytes. */
    static Map<String, byte[]> snapshot(Path root) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String string(GenericRecord row, String column) {
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }

    static int integer(GenericRecord row, String column) {
        return (Integer) row.get(column);
    }

    static long longValue(GenericRecord row, String column) {
        return (Long) row.get(column);
    }

    /** Decodes Spark's INT96: little-endian nanos of the day, then little-endian Julian day. */
    static Instant int96(GenericRecord row, String column) {
        byte[] bytes = ((GenericData.Fixed) row.get(column)).bytes();
        long nanos = 0;
        for (int i = 7; i >= 0; i--) {
            nanos = nanos << 8 | (bytes[i] & 0xFF);
        }
        long julianDay = 0;
        for (int i = 11; i >= 8; i--) {
            julianDay = julianDay << 8 | (bytes[i] & 0xFF);
        }
        return Instant.ofEpochSecond((julianDay - 2_440_588) * 86_400).plusNanos(nanos);
    }
}
