package org.wwi.external;

import org.junit.jupiter.api.Test;
import org.wwi.external.ExternalType.Kind;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared model: type mapping and the validation of the definition records. */
class TestModel {

    @Test
    void typeMappingToPostgresAndJava() {
        record Row(ExternalType type, String sql, String pg, Class<?> java) {
        }
        List<Row> rows = List.of(
                new Row(ExternalType.of(Kind.TINYINT), "TINYINT", "smallint", Short.class),
                new Row(ExternalType.of(Kind.SMALLINT), "SMALLINT", "smallint", Short.class),
                new Row(ExternalType.of(Kind.INT), "INT", "integer", Integer.class),
                new Row(ExternalType.of(Kind.BIGINT), "BIGINT", "bigint", Long.class),
                new Row(ExternalType.of(Kind.BIT), "BIT", "boolean", Boolean.class),
                new Row(ExternalType.decimal(10, 2), "DECIMAL(10,2)", "numeric(10,2)", BigDecimal.class),
                new Row(ExternalType.of(Kind.DECIMAL), "DECIMAL(18,0)", "numeric(18,0)", BigDecimal.class),
                new Row(ExternalType.of(Kind.MONEY), "MONEY", "numeric(19,4)", BigDecimal.class),
                new Row(ExternalType.of(Kind.FLOAT), "FLOAT", "double precision", Double.class),
                new Row(ExternalType.of(Kind.FLOAT, 24), "FLOAT(24)", "real", Float.class),
                new Row(ExternalType.of(Kind.REAL), "REAL", "real", Float.class),
                new Row(ExternalType.of(Kind.DATE), "DATE", "date", java.time.LocalDate.class),
                new Row(ExternalType.of(Kind.TIME, 0), "TIME(0)", "time(0)", java.time.LocalTime.class),
                new Row(ExternalType.of(Kind.DATETIME), "DATETIME", "timestamp(3)", LocalDateTime.class),
                new Row(ExternalType.of(Kind.DATETIME2), "DATETIME2", "timestamp", LocalDateTime.class),
                new Row(ExternalType.datetime2(3), "DATETIME2(3)", "timestamp(3)", LocalDateTime.class),
                new Row(ExternalType.of(Kind.DATETIMEOFFSET), "DATETIMEOFFSET", "timestamptz", OffsetDateTime.class),
                new Row(ExternalType.of(Kind.CHAR, 1), "CHAR(1)", "char(1)", String.class),
                new Row(ExternalType.varchar(100), "VARCHAR(100)", "varchar(100)", String.class),
                new Row(ExternalType.nvarchar(ExternalType.MAX), "NVARCHAR(MAX)", "text", String.class),
                new Row(ExternalType.of(Kind.VARBINARY, ExternalType.MAX), "VARBINARY(MAX)", "bytea", byte[].class),
                new Row(ExternalType.of(Kind.UNIQUEIDENTIFIER), "UNIQUEIDENTIFIER", "uuid", UUID.class));
        for (Row r : rows) {
            assertThat(r.type().sqlName()).as("sql name of %s", r.type().kind()).isEqualTo(r.sql());
            assertThat(r.type().postgresType()).as("postgres type of %s", r.sql()).isEqualTo(r.pg());
            assertThat(r.type().javaClass()).as("java class of %s", r.sql()).isEqualTo(r.java());
            assertThat(r.type().parquetType()).isNotBlank();
        }
        assertThat(ExternalType.of(Kind.TINYINT).postgresCheck("\"Age\"")).contains("\"Age\" between 0 and 255");
        assertThat(ExternalType.of(Kind.INT).postgresCheck("x")).isEmpty();
        assertThat(Kind.fromName("integer")).contains(Kind.INT);
        assertThat(Kind.fromName("Dec")).contains(Kind.DECIMAL);
        assertThat(Kind.fromName("text")).isEmpty();
        assertThat(Kind.values()).hasSize(24);
    }

    @Test
    void typesRefuseParametersTSqlRefuses() {
        assertThatThrownBy(() -> ExternalType.decimal(39, 0)).hasMessageContaining("precision must be 1 to 38");
        assertThatThrownBy(() -> ExternalType.decimal(5, 6)).hasMessageContaining("scale must be 0 to the precision 5");
        assertThatThrownBy(() -> ExternalType.of(Kind.FLOAT, 54)).hasMessageContaining("1 to 53");
        assertThatThrownBy(() -> ExternalType.datetime2(8)).hasMessageContaining("0 to 7");
        assertThatThrownBy(() -> ExternalType.varchar(8001)).hasMessageContaining("1 to 8000 or MAX");
        assertThatThrownBy(() -> ExternalType.of(Kind.NCHAR, ExternalType.MAX)).hasMessageContaining("not MAX");
        assertThatThrownBy(() -> ExternalType.of(Kind.INT, 4)).hasMessageContaining("takes no arguments");
        assertThatThrownBy(() -> new ExternalType(Kind.INT, 1, 0, 0)).hasMessageContaining("takes no arguments");
        assertThatThrownBy(() -> ExternalType.of(Kind.DECIMAL, 1, 2, 3)).hasMessageContaining("(precision[, scale])");
    }

    @Test
    void rejectPolicies() {
        assertThat(RejectPolicy.DEFAULT.exceeded(0, 100, true)).isFalse();
        assertThat(RejectPolicy.DEFAULT.exceeded(1, 100, false)).isTrue();
        assertThat(RejectPolicy.value(5).exceeded(5, 10, false)).isFalse();
        assertThat(RejectPolicy.value(5).exceeded(6, 10, false)).isTrue();
        RejectPolicy pct = RejectPolicy.percentage(10, 100);
        assertThat(pct.exceeded(50, 99, false)).as("checked only after each sample").isFalse();
        assertThat(pct.exceeded(11, 100, false)).isTrue();
        assertThat(pct.exceeded(10, 100, false)).isFalse();
        assertThat(pct.exceeded(6, 50, true)).as("checked at the end of input").isTrue();
        assertThat(pct.describe()).isEqualTo("REJECT_TYPE = PERCENTAGE, REJECT_VALUE = 10, REJECT_SAMPLE_VALUE = 100");
        assertThat(RejectPolicy.DEFAULT.describe()).isEqualTo("REJECT_TYPE = VALUE, REJECT_VALUE = 0");
        assertThatThrownBy(() -> RejectPolicy.percentage(5, 0)).hasMessageContaining("REJECT_SAMPLE_VALUE");
        assertThatThrownBy(() -> new RejectPolicy(RejectPolicy.RejectType.VALUE, 1, OptionalLong.of(5)))
                .hasMessageContaining("only allowed with REJECT_TYPE = PERCENTAGE");
        assertThatThrownBy(() -> RejectPolicy.value(-1)).hasMessageContaining("0 or more");
    }

    @Test
    void definitionsValidateThemselves() {
        assertThatThrownBy(() -> new DataSourceDef("s", "HADOOP", URI.create("hdfs://x/y"), Optional.empty()))
                .hasMessageContaining("scheme of [file, abfs, abfss, wasb, wasbs]");
        assertThatThrownBy(() -> new DataSourceDef("s", "SHARD_MAP_MANAGER", URI.create("file:///x"), Optional.empty()))
                .hasMessageContaining("TYPE must be one of");
        assertThatThrownBy(() -> new FileFormatDef("f", FileFormatDef.FormatType.PARQUET, new DelimitedOptions(",",
                Optional.empty(), 1, Optional.empty(), false, java.nio.charset.StandardCharsets.UTF_8), Optional.empty()))
                .hasMessageContaining("only to FORMAT_TYPE = DELIMITEDTEXT");
        assertThatThrownBy(() -> new DelimitedOptions("|", Optional.of('|'), 1, Optional.empty(), false,
                java.nio.charset.StandardCharsets.UTF_8)).hasMessageContaining("STRING_DELIMITER");

        ExternalColumn a = new ExternalColumn("A", ExternalType.of(Kind.INT), true, false);
        ExternalColumn day = new ExternalColumn("Day", ExternalType.of(Kind.DATE), false, true);
        ExternalTableDef t = new ExternalTableDef("ext", "t", List.of(a, day), "/t/", "lake", "pq", RejectPolicy.DEFAULT,
                Map.of("require_success_file", "TRUE"));
        assertThat(t.requireSuccessFile()).isTrue();
        assertThat(t.column("a")).contains(a);
        assertThat(t.partitionColumns()).containsExactly(day);
        assertThat(t.qualifiedName()).isEqualTo("ext.t");
        assertThatThrownBy(() -> new ExternalTableDef("ext", "t", List.of(a, a), "/t/", "l", "f", RejectPolicy.DEFAULT,
                Map.of())).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> t.columns().add(a)).isInstanceOf(UnsupportedOperationException.class);

        DataSourceDef lake = new DataSourceDef("lake", "HADOOP", URI.create("file:///data/lake/"), Optional.empty());
        FileFormatDef pq = new FileFormatDef("pq", FileFormatDef.FormatType.PARQUET, DelimitedOptions.DEFAULT,
                Optional.empty());
        assertThat(new ResolvedTable(t, lake, pq).locationUri()).isEqualTo(URI.create("file:///data/lake/t/"));
        assertThatThrownBy(() -> new ResolvedTable(t, new DataSourceDef("other", "HADOOP", URI.create("file:///x"),
                Optional.empty()), pq)).hasMessageContaining("uses data source lake");
    }

    @Test
    void delimitedDateFormatsAcceptPolyBaseLetters() {
        DelimitedOptions o = new DelimitedOptions("|", Optional.empty(), 2, Optional.of("yyyy-MM-dd HH:mm:ss.fff"),
                false, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(LocalDateTime.parse("2026-08-01 10:11:12.345", o.dateFormatter().orElseThrow()))
                .isEqualTo(LocalDateTime.of(2026, 8, 1, 10, 11, 12, 345_000_000));
        DelimitedOptions us = new DelimitedOptions("|", Optional.empty(), 2, Optional.of("M/d/yyyy h:mm:ss a"),
                false, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(LocalDateTime.parse("8/1/2026 3:04:05 PM", us.dateFormatter().orElseThrow()))
                .isEqualTo(LocalDateTime.of(2026, 8, 1, 15, 4, 5));
    }

    @Test
    void externalSqlResults() {
        ExternalSql.Result r = ExternalSql.Result.ofRows(List.of("a", "b"), List.of(java.util.Arrays.asList(1, null)))
                .withNotice("hello");
        assertThat(r.rows().get(0)).containsExactly(1, null);
        assertThat(r.notices()).containsExactly("hello");
        assertThat(ExternalSql.Result.ofCount(3).updateCount()).hasValue(3);
        assertThatThrownBy(() -> ExternalSql.Result.ofRows(List.of("a"), List.of(List.of(1, 2))))
                .hasMessageContaining("2 values for 1 columns");
    }

    @Test
    void dateFormatsTranslateDotNetPatternsButLeaveQuotedLiteralsAlone() {
        java.time.format.DateTimeFormatter f = DelimitedOptions.toFormatter("M/d/yyyy h:mm:ss tt");
        assertThat(LocalDateTime.parse("8/30/2026 3:04:05 PM", f)).isEqualTo(LocalDateTime.of(2026, 8, 30, 15, 4, 5));
        java.time.format.DateTimeFormatter fraction = DelimitedOptions.toFormatter("yyyy-MM-dd HH:mm:ss.fff");
        assertThat(LocalDateTime.parse("2026-08-30 15:04:05.123", fraction))
                .isEqualTo(LocalDateTime.of(2026, 8, 30, 15, 4, 5, 123_000_000));
        // the f of 'of' and the tt of 'tt' are text, not fraction digits or AM/PM
        java.time.format.DateTimeFormatter quoted = DelimitedOptions.toFormatter("d 'of' M yyyy 'tt' HH:mm");
        assertThat(LocalDateTime.parse("30 of 8 2026 tt 15:04", quoted))
                .isEqualTo(LocalDateTime.of(2026, 8, 30, 15, 4));
        assertThatThrownBy(() -> DelimitedOptions.toFormatter("yyyy-MM-dd'"))
                .hasMessageContaining("DATE_FORMAT 'yyyy-MM-dd'' is not a valid pattern");
    }
}
