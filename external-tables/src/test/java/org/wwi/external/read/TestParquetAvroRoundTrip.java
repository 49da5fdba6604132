package org.wwi.external.read;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.external.DataSourceDef;
import org.wwi.external.DelimitedOptions;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ExternalType;
import org.wwi.external.ExternalType.Kind;
import org.wwi.external.FileFormatDef;
import org.wwi.external.RejectPolicy;
import org.wwi.external.ResolvedTable;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Storage;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parquet written by another library (parquet-avro, as many Spark and Java jobs do) reads back
 * through an external table with every value intact: columns matched by name in another order,
 * decimals in binary, dates, microsecond timestamps, booleans, unicode and nulls.
 */
class TestParquetAvroRoundTrip {
    private static final Schema DECIMAL = LogicalTypes.decimal(12, 3).addToSchema(Schema.create(Schema.Type.BYTES));
    private static final Schema DATE = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    private static final Schema MICROS = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    private static final Schema SCHEMA = SchemaBuilder.record("Order").fields()
            .name("order_id").type().longType().noDefault()
            .name("customer").type().nullable().stringType().noDefault()
            .name("amount").type(DECIMAL).noDefault()
            .name("order_day").type(DATE).noDefault()
            .name("placed_at").type(MICROS).noDefault()
            .name("gift").type().booleanType().noDefault()
            .name("lines").type().intType().noDefault()
            .endRecord();

    @Test
    void valuesWrittenWithParquetAvroReadBackIntact(@TempDir Path dir) throws Exception {
        List<Object[]> expected = new ArrayList<>();
        Path file = dir.resolve("orders").resolve("part-00000.snappy.parquet");
        Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
        try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
                        HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
                .withSchema(SCHEMA).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (int i = 0; i < 1000; i++) {
                BigDecimal amount = new BigDecimal(i * 1234L - 50_000L).movePointLeft(3);
                LocalDate day = LocalDate.of(2026, 8, 1).plusDays(i % 30);
                LocalDateTime at = day.atTime(9, 30).plusNanos(i * 1_001_000L);
                String customer = i % 7 == 0 ? null : (i % 2 == 0 ? "Zoë Ōkubo 🚀 " : "Bob ") + i;
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("order_id", 10_000_000_000L + i);
                r.put("customer", customer);
                ByteBuffer bytes = decimals.toBytes(amount, DECIMAL, DECIMAL.getLogicalType());
                r.put("amount", bytes);
                r.put("order_day", (int) day.toEpochDay());
                r.put("placed_at", at.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + at.getNano() / 1000);
                r.put("gift", i % 3 == 0);
                r.put("lines", i % 5 + 1);
                w.write(r);
                // declared order below differs from the file's: columns are matched by name
                expected.add(new Object[] {i % 5 + 1, customer, amount, 10_000_000_000L + i, day, at, i % 3 == 0});
            }
        }
        List<ExternalColumn> columns = List.of(
                new ExternalColumn("Lines", ExternalType.of(Kind.INT), false, false),
                new ExternalColumn("CUSTOMER", ExternalType.nvarchar(60), true, false),
                new ExternalColumn("Amount", ExternalType.decimal(12, 3), false, false),
                new ExternalColumn("Order_Id", ExternalType.of(Kind.BIGINT), false, false),
                new ExternalColumn("order_day", ExternalType.of(Kind.DATE), false, false),
                new ExternalColumn("placed_at", ExternalType.datetime2(6), false, false),
                new ExternalColumn("gift", ExternalType.of(Kind.BIT), false, false));
        ExternalTableDef t = new ExternalTableDef("ext", "orders", columns, "/orders/", "lake", "pq",
                RejectPolicy.DEFAULT, Map.of());
        DataSourceDef lake = new DataSourceDef("lake", "HADOOP", dir.toUri(), Optional.empty());
        ResolvedTable table = new ResolvedTable(t, lake, new FileFormatDef("pq", FileFormatDef.FormatType.PARQUET,
                DelimitedOptions.DEFAULT, Optional.empty()));
        List<Object[]> rows = new ArrayList<>();
        try (Storage storage = Storage.open(lake, Optional.empty(), Map.of())) {
            TableReader reader = new TableReader(table, storage);
            Rejects rejects = new Rejects("ext.orders", RejectPolicy.DEFAULT);
            for (FileRef f : reader.list().files()) {
                try (FileCursor c = reader.open(f, new int[] {0, 1, 2, 3, 4, 5, 6}, List.of(), rejects)) {
                    while (c.next()) {
                        rows.add(c.row().clone());
                    }
                }
            }
            rejects.finish();
            assertThat(rejects.rejected()).isZero();
        }
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i)).as("row %d", i).containsExactly(expected.get(i));
        }
    }

    @Test
    void footerCountsSmallAndLargeFooters(@TempDir Path dir) throws Exception {
        // many tiny row groups make a footer far over the 64 KB read with the tail; one row group a small one
        writeOrders(dir.resolve("orders/day=1/part-00000.parquet"), 40_000, 1024);
        writeOrders(dir.resolve("orders/day=2/part-00000.parquet"), 1_234, 128L * 1024 * 1024);
        byte[] large = java.nio.file.Files.readAllBytes(dir.resolve("orders/day=1/part-00000.parquet"));
        int footerLength = ByteBuffer.wrap(large, large.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(footerLength).as("footer bytes of the large-footer file").isGreaterThan(FooterRows.TAIL_GUESS);
        ExternalTableDef t = new ExternalTableDef("ext", "orders", List.of(
                new ExternalColumn("order_id", ExternalType.of(Kind.BIGINT), false, false),
                new ExternalColumn("lines", ExternalType.of(Kind.INT), false, false)), "/orders/", "lake", "pq",
                RejectPolicy.DEFAULT, Map.of());
        DataSourceDef lake = new DataSourceDef("lake", "HADOOP", dir.toUri(), Optional.empty());
        ResolvedTable table = new ResolvedTable(t, lake, new FileFormatDef("pq", FileFormatDef.FormatType.PARQUET,
                DelimitedOptions.DEFAULT, Optional.empty()));
        try (Storage storage = Storage.open(lake, Optional.empty(), Map.of())) {
            TableReader reader = new TableReader(table, storage);
            List<FileRef> files = reader.list().files();
            assertThat(reader.countRows(files, new Rejects("ext.orders", RejectPolicy.DEFAULT))).isEqualTo(41_234);
            assertThat(reader.stats().footerOnlyFiles.sum()).isEqualTo(2);
        }
    }

    private static void writeOrders(Path file, int rows, long rowGroupBytes) throws Exception {
        try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
                        HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
                .withSchema(SCHEMA).withRowGroupSize(rowGroupBytes).build()) {
            Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
            for (int i = 0; i < rows; i++) {
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("order_id", (long) i);
                r.put("customer", "c" + i);
                r.put("amount", decimals.toBytes(BigDecimal.valueOf(i, 3), DECIMAL, DECIMAL.getLogicalType()));
                r.put("order_day", 20_000 + i % 30);
                r.put("placed_at", 1_700_000_000_000_000L + i);
                r.put("gift", i % 2 == 0);
                r.put("lines", i % 5);
                w.write(r);
            }
        }
    }
}
