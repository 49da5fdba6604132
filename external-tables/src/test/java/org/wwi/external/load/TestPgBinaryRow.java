package org.wwi.external.load;

import org.junit.jupiter.api.Test;
import org.wwi.external.ExternalType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encoders of numbers and UTF-8 bytes write what the object encoders write, and refuse the same values. */
class TestPgBinaryRow {

    private static int typmod(int precision, int scale) {
        return (precision << 16 | scale) + 4;
    }

    private static byte[] viaObject(String typname, int typmod, Object value) throws PgBinaryRow.Misfit {
        PgBinaryRow out = new PgBinaryRow();
        PgBinaryRow.encoder(typname, typmod).write(out, value);
        return Arrays.copyOf(out.buf, out.pos);
    }

    private static byte[] viaLong(String typname, int typmod, ExternalType source, long value) throws PgBinaryRow.Misfit {
        PgBinaryRow out = new PgBinaryRow();
        PgBinaryRow.longEncoder(typname, typmod, source).write(out, value);
        return Arrays.copyOf(out.buf, out.pos);
    }

    @Test
    void numericsFromUnscaledLongsMatchBigDecimals() throws PgBinaryRow.Misfit {
        ExternalType decimal = ExternalType.decimal(12, 2);
        long[] values = {0, 1, -1, 5, 100, -100, 12_345, 99_999, 100_000_000, 123_456_789_012L, -999_999_999_999L,
            Long.MAX_VALUE / 1000, Long.MAX_VALUE / 1000 + 1, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE};
        for (long v : values) {
            BigDecimal d = BigDecimal.valueOf(v, 2);
            // unconstrained numeric: every long fits
            assertThat(viaLong("numeric", -1, decimal, v)).as("numeric %s", d).isEqualTo(viaObject("numeric", -1, d));
            PgBinaryRow out = new PgBinaryRow();
            PgBinaryRow.writeNumeric(out, v, 2);
            assertThat(Arrays.copyOf(out.buf, out.pos)).as("writeNumeric %s", d).isEqualTo(viaObject("numeric", -1, d));
        }
        for (int scale = 0; scale <= 9; scale++) {
            ExternalType source = ExternalType.decimal(18, scale);
            for (long v : new long[] {0, 7, -7, 10_001, 123_456_789_012_345L, -50_000}) {
                BigDecimal d = BigDecimal.valueOf(v, scale);
                assertThat(viaLong("numeric", typmod(18, scale), source, v)).as("numeric(18,%d) %s", scale, d)
                        .isEqualTo(viaObject("numeric", typmod(18, scale), d));
            }
        }
    }

    @Test
    void numericPrecisionIsCheckedAsForBigDecimals() {
        ExternalType source = ExternalType.decimal(12, 2);
        for (long v : new long[] {100_000_000L, -100_000_000L, 999_999_999_999L}) {
            BigDecimal d = BigDecimal.valueOf(v, 2);
            assertThatThrownBy(() -> viaObject("numeric", typmod(8, 2), d)).isInstanceOf(PgBinaryRow.Misfit.class);
            assertThatThrownBy(() -> viaLong("numeric", typmod(8, 2), source, v)).isInstanceOf(PgBinaryRow.Misfit.class)
                    .hasMessage("out of range for numeric(8,2)");
        }
        // a target of another scale goes through BigDecimal (rounding)
        assertThat(PgBinaryRow.longEncoder("numeric", typmod(12, 1), source)).isNull();
    }

    @Test
    void integersAndTimestampsMatchTheObjectEncoders() throws PgBinaryRow.Misfit {
        ExternalType bigint = ExternalType.of(ExternalType.Kind.BIGINT);
        for (long v : new long[] {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThat(viaLong("int4", -1, bigint, v)).isEqualTo(viaObject("int4", -1, v));
            assertThat(viaLong("int8", -1, bigint, v)).isEqualTo(viaObject("int8", -1, v));
        }
        assertThatThrownBy(() -> viaLong("int4", -1, bigint, Integer.MAX_VALUE + 1L))
                .isInstanceOf(PgBinaryRow.Misfit.class).hasMessage("out of range for integer");
        assertThatThrownBy(() -> viaLong("int2", -1, bigint, Short.MIN_VALUE - 1L))
                .isInstanceOf(PgBinaryRow.Misfit.class).hasMessage("out of range for smallint");

        ExternalType offset = ExternalType.of(ExternalType.Kind.DATETIMEOFFSET);
        for (String text : new String[] {"2026-08-01T12:34:56.789012", "1969-12-31T23:59:59.999999", "1900-01-01T00:00",
            "2000-01-01T00:00", "1999-12-31T23:59:59.000001"}) {
            LocalDateTime t = LocalDateTime.parse(text);
            long micros = t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
            OffsetDateTime o = t.atOffset(ZoneOffset.UTC);
            assertThat(viaLong("timestamptz", -1, offset, micros)).as(text).isEqualTo(viaObject("timestamptz", -1, o));
            assertThat(viaLong("timestamp", -1, offset, micros)).as(text).isEqualTo(viaObject("timestamp", -1, o));
        }
    }

    @Test
    void utf8TextMatchesStringsAndItsLengthIsCountedInCharacters() throws PgBinaryRow.Misfit {
        for (String s : new String[] {"", "Browsed", "Add To Cart", "naïve café", "日本語のテキスト", "emoji 😀 x"}) {
            PgBinaryRow out = new PgBinaryRow();
            PgBinaryRow.utf8Encoder("varchar", 20 + 4).write(out, s.getBytes(StandardCharsets.UTF_8));
            assertThat(Arrays.copyOf(out.buf, out.pos)).as(s).isEqualTo(viaObject("varchar", 20 + 4, s));
        }
        // 8 characters in 24 bytes fit varchar(8); 9 do not
        byte[] eight = "日本語のテキスト".getBytes(StandardCharsets.UTF_8);
        PgBinaryRow out = new PgBinaryRow();
        PgBinaryRow.utf8Encoder("varchar", 8 + 4).write(out, eight);
        assertThatThrownBy(() -> PgBinaryRow.utf8Encoder("varchar", 7 + 4).write(new PgBinaryRow(), eight))
                .isInstanceOf(PgBinaryRow.Misfit.class).hasMessage("longer than 7 characters");
        assertThat(PgBinaryRow.utf8Encoder("jsonb", -1)).isNull();
    }
}
