package org.wwi.external.read;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.external.DataSourceDef;
import org.wwi.external.DelimitedOptions;
import org.wwi.external.ExternalSql;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.FileFormatDef;
import org.wwi.external.RejectPolicy;
import org.wwi.external.ResolvedTable;
import org.wwi.external.TestingCatalog;
import org.wwi.external.ddl.DdlStatement;
import org.wwi.external.ddl.Placeholders;
import org.wwi.external.ddl.SqlScript;
import org.wwi.external.query.QueryProvider;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Storage;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.DbConfig;
import org.wwi.platform.Progress;
import org.wwi.platform.WwiConfig;
import org.wwi.testkit.WwiPostgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parquet's physical and logical types as writers other than Spark's leave them (parquet-hadoop's
 * example writer, which writes any schema): INT96 timestamps, INT64 TIMESTAMP in MILLIS / MICROS /
 * NANOS (adjusted to UTC and not), DECIMAL on INT32, INT64, BINARY and FIXED_LEN_BYTE_ARRAY, DATE,
 * BOOLEAN and unicode strings, values before 1970 and negative decimals included: read back exactly,
 * and loaded into PostgreSQL with the same values (to its microsecond precision).
 */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestParquetTypes {
    private static final int ROWS = 500;
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message wwi_types {
              required int32 id;
              required int96 spark_ts;
              required int64 ts_millis (TIMESTAMP(MILLIS,true));
              required int64 ts_micros (TIMESTAMP(MICROS,false));
              required int64 ts_nanos (TIMESTAMP(NANOS,true));
              required int32 dec_int32 (DECIMAL(9,2));
              required int64 dec_int64 (DECIMAL(18,4));
              required binary dec_binary (DECIMAL(30,6));
              required fixed_len_byte_array(9) dec_fixed (DECIMAL(20,3));
              required int32 day (DATE);
              required boolean flag;
              optional binary name (STRING);
            }""");
    /** Declared in another order and case than the file: columns are matched by name. */
    private static final String DDL = """
            CREATE EXTERNAL TABLE ext.types (
                [Name]       NVARCHAR(40),
                [ID]         INT NOT NULL,
                [Spark_TS]   DATETIME2(7),
                ts_millis    DATETIME2(3),
                TS_MICROS    DATETIME2(6),
                ts_nanos     DATETIMEOFFSET(7),
                dec_int32    DECIMAL(9,2),
                dec_int64    DECIMAL(18,4),
                dec_binary   DECIMAL(30,6),
                dec_fixed    DECIMAL(20,3),
                [Day]        DATE,
                Flag         BIT
            )
            WITH (LOCATION = '/types/', DATA_SOURCE = lake, FILE_FORMAT = pq)""";

    private final List<Object[]> expected = new ArrayList<>();
    private ResolvedTable table;
    private TestingCatalog catalog;
    private Database db;

    @BeforeAll
    void write(Database db) throws Exception {
        this.db = db;
        Path lake = Files.createTempDirectory("wwi-types-lake");
        Path file = Files.createDirectories(lake.resolve("types")).resolve("part-00000.parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        LocalDateTime base = LocalDateTime.of(1969, 12, 20, 23, 59, 58);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(
                        HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
                .withType(SCHEMA).withCompressionCodec(CompressionCodecName.SNAPPY).withPageRowCountLimit(100)
                .withDictionaryEncoding(true).build()) {
            for (int i = 0; i < ROWS; i++) {
                LocalDateTime t96 = base.plusSeconds(i * 3607L).plusNanos(i * 123_456_789L % 1_000_000_000L);
                LocalDateTime tMillis = base.plusDays(i).plusNanos((i * 7L % 1000) * 1_000_000L);
                LocalDateTime tMicros = base.plusMinutes(i * 61L).plusNanos((i * 999_983L % 1_000_000) * 1000L);
                LocalDateTime tNanos = base.plusHours(i).plusNanos(i * 987_654_321L % 1_000_000_000L);
                BigDecimal d32 = BigDecimal.valueOf(i * 12_345L - 1_000_000L, 2);
                BigDecimal d64 = BigDecimal.valueOf(i * 98_765_432_101L - 5_000_000_000_000L, 4);
                BigDecimal dBinary = new BigDecimal(BigInteger.TEN.pow(23).multiply(BigInteger.valueOf(i % 2 == 0 ? i : -i))
                        .add(BigInteger.valueOf(123_456L)), 6);
                BigDecimal dFixed = new BigDecimal(BigInteger.valueOf(10).pow(16).multiply(BigInteger.valueOf(i - 250))
                        .add(BigInteger.valueOf(i)), 3);
                LocalDate day = LocalDate.ofEpochDay(-400 + i * 37L);
                String name = i % 10 == 0 ? null : (i % 2 == 0 ? "Zoë Ōkubo 🚀 東京 " : "Bob ") + (i % 20);
                Group g = groups.newGroup()
                        .append("id", i)
                        .append("spark_ts", nanoTime(t96))
                        .append("ts_millis", tMillis.toInstant(ZoneOffset.UTC).toEpochMilli())
                        .append("ts_micros", ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), tMicros))
                        .append("ts_nanos", ChronoUnit.NANOS.between(LocalDateTime.of(1970, 1, 1, 0, 0), tNanos))
                        .append("dec_int32", d32.unscaledValue().intValueExact())
                        .append("dec_int64", d64.unscaledValue().longValueExact())
                        .append("dec_binary", Binary.fromConstantByteArray(dBinary.unscaledValue().toByteArray()))
                        .append("dec_fixed", Binary.fromConstantByteArray(fixed(dFixed.unscaledValue(), 9)))
                        .append("day", (int) day.toEpochDay())
                        .append("flag", i % 3 == 0);
                if (name != null) {
                    g.append("name", name);
                }
                w.write(g);
                expected.add(new Object[] {name, i, t96, tMillis, tMicros, tNanos.atOffset(ZoneOffset.UTC), d32, d64,
                        dBinary, dFixed, day, i % 3 == 0});
            }
        }
        ExternalTableDef def = ((DdlStatement.CreateExternalTable) SqlScript.parseDdl(DDL, "types.sql",
                Placeholders.of(Map.of(), n -> null)).get(0)).definition();
        DataSourceDef source = new DataSourceDef("lake", "HADOOP", lake.toUri(), Optional.empty());
        FileFormatDef pq = new FileFormatDef("pq", FileFormatDef.FormatType.PARQUET, DelimitedOptions.DEFAULT,
                Optional.empty());
        catalog = new TestingCatalog().add(source).add(pq).add(def);
        table = catalog.resolved("ext", "types");
    }

    /** Spark's INT96: nanoseconds of the day, then the Julian day, little-endian. */
    private static NanoTime nanoTime(LocalDateTime t) {
        return new NanoTime((int) (t.toLocalDate().toEpochDay() + JULIAN_EPOCH_DAY), t.toLocalTime().toNanoOfDay());
    }

    /** Big-endian two's complement in exactly {@code length} bytes, as FIXED_LEN_BYTE_ARRAY decimals are stored. */
    private static byte[] fixed(BigInteger unscaled, int length) {
        byte[] minimal = unscaled.toByteArray();
        byte[] out = new byte[length];
        java.util.Arrays.fill(out, (byte) (unscaled.signum() < 0 ? 0xFF : 0));
        System.arraycopy(minimal, 0, out, length - minimal.length, minimal.length);
        return out;
    }

    @Test
    void everyTypeReadsBackExactly() {
        List<Object[]> rows = new ArrayList<>();
        try (Storage storage = Storage.open(table.source(), Optional.empty(), Map.of())) {
            TableReader reader = new TableReader(table, storage);
            Rejects rejects = new Rejects("ext.types", RejectPolicy.DEFAULT);
            int[] all = java.util.stream.IntStream.range(0, table.table().columns().size()).toArray();
            for (FileRef f : reader.list().files()) {
                try (FileCursor c = reader.open(f, all, List.of(), rejects)) {
                    while (c.next()) {
                        rows.add(c.row().clone());
                    }
                }
            }
            rejects.finish();
            assertThat(rejects.rejected()).isZero();
        }
        assertThat(rows).hasSize(ROWS);
        for (int i = 0; i < ROWS; i++) {
            assertThat(rows.get(i)).as("row %d", i).containsExactly(expected.get(i));
        }
        // the negative ones and those before 1970 are there, not only easy values
        assertThat(rows).anySatisfy(r -> assertThat((LocalDateTime) r[3]).isBefore(LocalDateTime.of(1970, 1, 1, 0, 0)));
        assertThat(rows).anySatisfy(r -> assertThat(((BigDecimal) r[9]).signum()).isNegative());
    }

    @Test
    void everyTypeLoadsIntoPostgresWithTheSameValues() throws Exception {
        Migrations.forProject(Path.of(System.getProperty("wwi.test.root"))).migrate(db);
        WwiConfig config = new WwiConfig(Path.of(System.getProperty("wwi.test.root")),
                new DbConfig(Optional.empty(), Optional.empty(), Optional.empty(), DbConfig.DEFAULT_EMBEDDED_PORT,
                        Path.of(".wwi/pg"), "wwi"), Map.of());
        try (ExternalSql sql = new QueryProvider().open(new ExternalSql.Context(db, catalog, config))) {
            assertThat(sql.execute("CREATE TABLE stg.parquet_types AS SELECT * FROM ext.types", Progress.none())
                    .updateCount()).hasValue(ROWS);
        }
        assertHoldsExpected("stg.parquet_types");
    }

    @Test
    void typedRowsReadBackExactly() {
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> viaForms = new ArrayList<>();
        try (Storage storage = Storage.open(table.source(), Optional.empty(), Map.of())) {
            TableReader reader = new TableReader(table, storage);
            Rejects rejects = new Rejects("ext.types", RejectPolicy.DEFAULT);
            int[] all = java.util.stream.IntStream.range(0, table.table().columns().size()).toArray();
            for (FileRef f : reader.list().files()) {
                try (FileCursor c = reader.openTyped(f, all, List.of(), rejects)) {
                    while (c.next()) {
                        TypedRow typed = c.typedRow();
                        Object[] objects = new Object[all.length];
                        for (int i = 0; i < all.length; i++) {
                            objects[i] = typed.object(i);
                            assertThat(typed.form(i) == TypedRow.NULL).isEqualTo(objects[i] == null);
                        }
                        viaForms.add(objects);
                        rows.add(c.row());
                    }
                }
            }
            rejects.finish();
            assertThat(rejects.rejected()).isZero();
        }
        assertThat(rows).hasSize(ROWS);
        for (int i = 0; i < ROWS; i++) {
            assertThat(rows.get(i)).as("row %d", i).containsExactly(expected.get(i));
            assertThat(viaForms.get(i)).as("row %d", i).containsExactly(expected.get(i));
        }
    }

    @Test
    void everyTypeLoadsWithTheBinaryLoaderWithTheSameValues() throws Exception {
        Migrations.forProject(Path.of(System.getProperty("wwi.test.root"))).migrate(db);
        try (Connection c = db.dataSource().getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("create table stg.parquet_types_loaded (name varchar(40), id integer, spark_ts timestamp, "
                        + "ts_millis timestamp, ts_micros timestamp, ts_nanos timestamptz, dec_int32 numeric(9,2), "
                        + "dec_int64 numeric(18,4), dec_binary numeric(30,6), dec_fixed numeric(20,3), day date, "
                        + "flag boolean)");
            }
            c.setAutoCommit(false);
            try (Storage storage = Storage.open(table.source(), Optional.empty(), Map.of())) {
                List<FileRef> files = new TableReader(table, storage).list().files();
                org.wwi.external.load.TargetTable target = org.wwi.external.load.TargetTable.describe(c, "stg",
                        "parquet_types_loaded");
                org.wwi.external.load.LoadResult r = org.wwi.external.load.Loader.load(c, table, storage, files,
                        target, org.wwi.external.load.ColumnMapping.byName(table.table(), target), Progress.none(),
                        "API");
                assertThat(r.rows()).isEqualTo(ROWS);
                assertThat(r.rejected()).isZero();
            }
            c.commit();
        }
        assertHoldsExpected("stg.parquet_types_loaded");
    }

    private void assertHoldsExpected(String tableName) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select * from " + tableName + " order by id")) {
            int i = 0;
            while (rs.next()) {
                Object[] e = expected.get(i++);
                assertThat(rs.getString("name")).isEqualTo(e[0]);
                assertThat(rs.getInt("id")).isEqualTo(e[1]);
                assertThat(rs.getObject("spark_ts", LocalDateTime.class)).isEqualTo(micros((LocalDateTime) e[2]));
                assertThat(rs.getObject("ts_millis", LocalDateTime.class)).isEqualTo(e[3]);
                assertThat(rs.getObject("ts_micros", LocalDateTime.class)).isEqualTo(e[4]);
                assertThat(rs.getObject("ts_nanos", OffsetDateTime.class))
                        .isEqualTo(((OffsetDateTime) e[5]).truncatedTo(ChronoUnit.MICROS));
                for (int k = 6; k <= 9; k++) {
                    assertThat(rs.getBigDecimal(k + 1)).as("column %d of row %d", k + 1, i).isEqualTo(e[k]);
                }
                assertThat(rs.getObject("day", LocalDate.class)).isEqualTo(e[10]);
                assertThat(rs.getBoolean("flag")).isEqualTo(e[11]);
            }
            assertThat(i).isEqualTo(ROWS);
        }
    }

    private static LocalDateTime micros(LocalDateTime t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }
}
