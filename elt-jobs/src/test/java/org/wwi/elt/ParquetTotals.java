package org.wwi.elt;

import org.apache.avro.Conversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.hadoop.util.HadoopInputFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Totals of the web-log Parquet files computed by an independent reader (parquet-avro, not the
 * project's readers): rows, purchased revenue, distinct users, rows per action.
 */
record ParquetTotals(long rows, BigDecimal revenue, long distinctUsers, Map<String, Long> rowsPerAction, long files) {

    /** Reads every data file under {@code folder} that Spark would read (no _ or . names) in folders with _SUCCESS. */
    static ParquetTotals of(Path folder) {
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        long rows = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        Set<Integer> users = new HashSet<>();
        Map<String, Long> perAction = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString()
                            .startsWith("_"))
                    .filter(p -> Files.exists(p.getParent().resolve("_SUCCESS"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Configuration conf = new Configuration();
        for (Path f : files) {
            HadoopInputFile input;
            int scale;
            try {
                input = HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (ParquetFileReader footer = ParquetFileReader.open(input)) {
                scale = ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) footer.getFileMetaData().getSchema()
                        .getType("TotalPrice").getLogicalTypeAnnotation()).getScale();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(input)
                    .withDataModel(model).build()) {
                GenericRecord g;
                while ((g = r.read()) != null) {
                    rows++;
                    String action = g.get("Action").toString();
                    perAction.merge(action, 1L, Long::sum);
                    users.add((Integer) g.get("UserId"));
                    if (action.equals("Purchased")) {
                        Object total = g.get("TotalPrice");
                        revenue = revenue.add(total instanceof BigDecimal d ? d
                                : BigDecimal.valueOf(((Number) total).longValue(), scale));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ParquetTotals(rows, revenue, users.size(), perAction, files.size());
    }
}
