package org.wwi.external.load;

import org.wwi.external.ExternalType;
import org.wwi.external.read.TypedRow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * PostgreSQL's binary COPY format, written by hand into a growable byte buffer: the header, one
 * tuple per row (field count, then length-prefixed big-endian values, -1 for NULL) and the trailer.
 * Each target column gets an {@link Encoder} for its PostgreSQL type; a value that does not fit
 * (out of range, too long) raises {@link Misfit} and the partial row is dropped with
 * {@link #abortRow()}.
 */
final class PgBinaryRow {
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    private static final long PG_EPOCH_DAY = 10_957L;
    private static final long[] POW10 = {1, 10, 100, 1000, 10_000};

    byte[] buf = new byte[1 << 20];
    int pos;
    private int rowStart;
    /** Base-10000 digit groups of the numeric being written (kept: one array per buffer, not per value). */
    private short[] groups = new short[32];

    /** A value that does not fit its column; the message is the reject reason. */
    static final class Misfit extends Exception {
        private static final long serialVersionUID = 1L;

        Misfit(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Writes one value of a column of one PostgreSQL type. */
    interface Encoder {
        void write(PgBinaryRow out, Object value) throws Misfit;
    }

    void header() {
        ensure(HEADER.length);
        System.arraycopy(HEADER, 0, buf, pos, HEADER.length);
        pos += HEADER.length;
    }

    void trailer() {
        ensure(2);
        putShort(-1);
    }

    void startRow(int fields) {
        rowStart = pos;
        ensure(2);
        putShort(fields);
    }

    void abortRow() {
        pos = rowStart;
    }

    void writeNull() {
        ensure(4);
        putInt(-1);
    }

    void reset() {
        pos = 0;
        rowStart = 0;
    }

    void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    void putShort(int v) {
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void putInt(int v) {
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    /**
     * The encoder for a PostgreSQL type as {@code pg_type.typname}, with the column's typmod
     * (numeric precision/scale, varchar length; -1 when none).
     */
    static Encoder encoder(String typname, int typmod) {
        return switch (typname) {
            case "bool" -> (out, v) -> {
                out.ensure(5);
                out.putInt(1);
                out.buf[out.pos++] = (byte) (bool(v) ? 1 : 0);
            };
            case "int2" -> (out, v) -> int2(out, integral(v));
            case "int4" -> (out, v) -> int4(out, integral(v));
            case "int8" -> (out, v) -> int8(out, integral(v));
            case "float4" -> (out, v) -> {
                out.ensure(8);
                out.putInt(4);
                out.putInt(Float.floatToIntBits(number(v).floatValue()));
            };
            case "float8" -> (out, v) -> {
                out.ensure(12);
                out.putInt(8);
                out.putLong(Double.doubleToLongBits(number(v).doubleValue()));
            };
            case "numeric" -> numeric(typmod);
            case "text", "varchar", "bpchar", "name", "citext", "json" -> text(typname.equals("text")
                    || typname.equals("json") || typname.equals("citext") ? -1 : typmod - 4);
            case "jsonb" -> (out, v) -> {
                byte[] b = v.toString().getBytes(StandardCharsets.UTF_8);
                out.ensure(5 + b.length);
                out.putInt(b.length + 1);
                out.buf[out.pos++] = 1;
                System.arraycopy(b, 0, out.buf, out.pos, b.length);
                out.pos += b.length;
            };
            case "date" -> (out, v) -> {
                LocalDate d = date(v);
                out.ensure(8);
                out.putInt(4);
                out.putInt((int) (d.toEpochDay() - PG_EPOCH_DAY));
            };
            case "timestamp" -> (out, v) -> {
                LocalDateTime t = localDateTime(v);
                out.ensure(12);
                out.putInt(8);
                out.putLong(micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano()));
            };
            case "timestamptz" -> (out, v) -> {
                long micros;
                if (v instanceof OffsetDateTime o) {
                    micros = micros(o.toEpochSecond(), o.getNano());
                } else if (v instanceof LocalDateTime t) {
                    micros = micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
                } else {
                    Instant i = instant(v);
                    micros = micros(i.getEpochSecond(), i.getNano());
                }
                out.ensure(12);
                out.putInt(8);
                out.putLong(micros);
            };
            case "time" -> (out, v) -> {
                LocalTime t = v instanceof LocalTime lt ? lt : LocalTime.parse(v.toString());
                out.ensure(12);
                out.putInt(8);
                out.putLong(t.toNanoOfDay() / 1000);
            };
            case "bytea" -> (out, v) -> {
                byte[] b = v instanceof byte[] a ? a : v.toString().getBytes(StandardCharsets.UTF_8);
                out.ensure(4 + b.length);
                out.putInt(b.length);
                System.arraycopy(b, 0, out.buf, out.pos, b.length);
                out.pos += b.length;
            };
            case "uuid" -> (out, v) -> {
                UUID u;
                try {
                    u = v instanceof UUID x ? x : UUID.fromString(v.toString());
                } catch (IllegalArgumentException e) {
                    throw new Misfit("not a uuid");
                }
                out.ensure(20);
                out.putInt(16);
                out.putLong(u.getMostSignificantBits());
                out.putLong(u.getLeastSignificantBits());
            };
            default -> null;
        };
    }

    private static long micros(long epochSecond, int nanos) {
        return (epochSecond - PG_EPOCH_SECONDS) * 1_000_000L + nanos / 1000;
    }

    private static boolean bool(Object v) throws Misfit {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        return switch (v.toString().toLowerCase(Locale.ROOT)) {
            case "true", "1", "t", "yes" -> true;
            case "false", "0", "f", "no" -> false;
            default -> throw new Misfit("not a boolean");
        };
    }

    private static long integral(Object v) throws Misfit {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw new Misfit("not a whole number in range");
            }
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Math.abs(d) > 9.0e18) {
                throw new Misfit("not a whole number in range");
            }
            return (long) d;
        }
        try {
            return Long.parseLong(v.toString().strip());
        } catch (NumberFormatException e) {
            throw new Misfit("not a whole number");
        }
    }

    private static Number number(Object v) throws Misfit {
        if (v instanceof Number n) {
            return n;
        }
        try {
            return Double.parseDouble(v.toString().strip());
        } catch (NumberFormatException e) {
            throw new Misfit("not a number");
        }
    }

    private static LocalDate date(Object v) throws Misfit {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof OffsetDateTime o) {
            return o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        }
        try {
            return LocalDate.parse(v.toString());
        } catch (java.time.DateTimeException e) {
            throw new Misfit("not a date");
        }
    }

    private static LocalDateTime localDateTime(Object v) throws Misfit {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof OffsetDateTime o) {
            return o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        try {
            return LocalDateTime.parse(v.toString().replace(' ', 'T'));
        } catch (java.time.DateTimeException e) {
            throw new Misfit("not a timestamp");
        }
    }

    private static Instant instant(Object v) throws Misfit {
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof Instant i) {
            return i;
        }
        return localDateTime(v).toInstant(ZoneOffset.UTC);
    }

    private static Encoder text(int maxLength) {
        return (out, v) -> {
            String s = v instanceof String x ? x : v.toString();
            if (maxLength >= 0 && s.length() > maxLength && s.codePointCount(0, s.length()) > maxLength) {
                throw new Misfit("longer than " + maxLength + " characters");
            }
            // the JDK's encoder: an ASCII (Latin-1) string is checked and copied with vector instructions
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.ensure(4 + b.length);
            out.putInt(b.length);
            System.arraycopy(b, 0, out.buf, out.pos, b.length);
            out.pos += b.length;
        };
    }

    /** An integer as smallint (both encoders: objects and {@link TypedRow#LONG} values). */
    private static void int2(PgBinaryRow out, long x) throws Misfit {
        if (x < Short.MIN_VALUE || x > Short.MAX_VALUE) {
            throw new Misfit("out of range for smallint");
        }
        out.ensure(6);
        out.putInt(2);
        out.putShort((int) x);
    }

    private static void int4(PgBinaryRow out, long x) throws Misfit {
        if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
            throw new Misfit("out of range for integer");
        }
        out.ensure(8);
        out.putInt(4);
        out.putInt((int) x);
    }

    private static void int8(PgBinaryRow out, long x) {
        out.ensure(12);
        out.putInt(8);
        out.putLong(x);
    }

    private static Encoder numeric(int typmod) {
        int precision = typmod >= 4 ? ((typmod - 4) >> 16) & 0xFFFF : -1;
        int scale = typmod >= 4 ? (typmod - 4) & 0xFFFF : -1;
        return (out, v) -> {
            BigDecimal d;
            if (v instanceof BigDecimal x) {
                d = x;
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                d = BigDecimal.valueOf(((Number) v).longValue());
            } else if (v instanceof Number n) {
                double x = n.doubleValue();
                if (Double.isNaN(x) || Double.isInfinite(x)) {
                    throw new Misfit("not a finite number");
                }
                d = BigDecimal.valueOf(x);
            } else {
                try {
                    d = new BigDecimal(v.toString().strip());
                } catch (NumberFormatException e) {
                    throw new Misfit("not a number");
                }
            }
            if (scale >= 0) {
                if (d.scale() != scale) {
                    d = d.setScale(scale, RoundingMode.HALF_UP);
                }
                if (d.precision() - d.scale() > precision - scale && d.signum() != 0) {
                    throw new Misfit("out of range for numeric(" + precision + "," + scale + ")");
                }
            }
            writeNumeric(out, d);
        };
    }

    static void writeNumeric(PgBinaryRow out, BigDecimal value) {
        BigDecimal d = value.scale() < 0 ? value.setScale(0) : value;
        int scale = d.scale();
        BigInteger signed = d.unscaledValue();
        if (signed.bitLength() < 52) {
            writeNumeric(out, signed.longValue(), scale);
            return;
        }
        int sign = d.signum() < 0 ? 0x4000 : 0;
        BigInteger unscaled = signed.abs();
        int fracPad = (4 - scale % 4) % 4;
        int fracGroups = (scale + fracPad) / 4;
        short[] groups = out.groups;
        int n = 0;
        BigInteger u = unscaled.multiply(BigInteger.valueOf(POW10[fracPad]));
        BigInteger tenThousand = BigInteger.valueOf(10_000);
        while (u.signum() > 0) {
            BigInteger[] qr = u.divideAndRemainder(tenThousand);
            if (n == groups.length) {
                groups = Arrays.copyOf(groups, n * 2);
                out.groups = groups;
            }
            groups[n++] = qr[1].shortValue();
            u = qr[0];
        }
        putNumeric(out, groups, n, fracGroups, sign, scale);
    }

    /** A numeric of {@code unscaled / 10^scale} (scale 0 or more), without a BigDecimal when the digits fit a long. */
    static void writeNumeric(PgBinaryRow out, long unscaled, int scale) {
        if (scale < 0 || unscaled == Long.MIN_VALUE || Math.abs(unscaled) > Long.MAX_VALUE / 1000) {
            writeNumeric(out, BigDecimal.valueOf(unscaled, scale));
            return;
        }
        int sign = unscaled < 0 ? 0x4000 : 0;
        int fracPad = (4 - scale % 4) % 4;
        int fracGroups = (scale + fracPad) / 4;
        long u = Math.abs(unscaled) * POW10[fracPad];
        short[] groups = out.groups;
        int n = 0;
        while (u > 0) {
            groups[n++] = (short) (u % 10_000);
            u /= 10_000;
        }
        putNumeric(out, groups, n, fracGroups, sign, scale);
    }

    /** Writes base-10000 digit groups, {@code groups[0]} the least significant. */
    private static void putNumeric(PgBinaryRow out, short[] groups, int n, int fracGroups, int sign, int scale) {
        // drop trailing zero groups
        int low = 0;
        while (low < n && groups[low] == 0) {
            low++;
        }
        int ndigits = n - low;
        int weight = ndigits == 0 ? 0 : n - 1 - fracGroups;
        out.ensure(4 + 8 + 2 * ndigits);
        out.putInt(8 + 2 * ndigits);
        out.putShort(ndigits);
        out.putShort(weight);
        out.putShort(ndigits == 0 ? 0 : sign);
        out.putShort(scale);
        for (int i = n - 1; i >= low; i--) {
            out.putShort(groups[i]);
        }
    }

    /** Writes one {@link TypedRow#LONG} value of a column of one PostgreSQL type. */
    interface LongEncoder {
        void write(PgBinaryRow out, long value) throws Misfit;
    }

    /** Writes one {@link TypedRow#UTF8} value (valid UTF-8) of a column of one PostgreSQL type. */
    interface Utf8Encoder {
        void write(PgBinaryRow out, byte[] utf8) throws Misfit;
    }

    private static final long[] POW10_LONG = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
        100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
        1_000_000_000_000_000_000L};

    /**
     * The encoder of {@link TypedRow#LONG} values of a declared source type into a PostgreSQL type,
     * or null when those values go through their Java objects ({@link #encoder}). It writes what
     * {@link #encoder} writes for the same value and refuses the same values.
     */
    static LongEncoder longEncoder(String typname, int typmod, ExternalType source) {
        if (source == null) {
            return null;
        }
        switch (source.kind()) {
            case TINYINT, SMALLINT, INT, BIGINT:
                return switch (typname) {
                    case "int2" -> PgBinaryRow::int2;
                    case "int4" -> PgBinaryRow::int4;
                    case "int8" -> PgBinaryRow::int8;
                    default -> null;
                };
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY: {
                if (!typname.equals("numeric")) {
                    return null;
                }
                int scale = source.scale();
                if (typmod < 4) {
                    return (out, v) -> writeNumeric(out, v, scale);
                }
                int precision = ((typmod - 4) >> 16) & 0xFFFF;
                int targetScale = (typmod - 4) & 0xFFFF;
                if (targetScale != scale) {
                    return null;
                }
                // integer digits beyond precision - scale: |v| >= 10^precision
                long limit = precision < POW10_LONG.length ? POW10_LONG[precision] : Long.MAX_VALUE;
                String reason = "out of range for numeric(" + precision + "," + targetScale + ")";
                return (out, v) -> {
                    if (v != 0 && (v >= limit || v <= -limit)) {
                        throw new Misfit(reason);
                    }
                    writeNumeric(out, v, scale);
                };
            }
            case DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET:
                if (!typname.equals("timestamptz") && !typname.equals("timestamp")) {
                    return null;
                }
                return (out, v) -> {
                    out.ensure(12);
                    out.putInt(8);
                    out.putLong(v - PG_EPOCH_SECONDS * 1_000_000L);
                };
            default:
                return null;
        }
    }

    /** The encoder of {@link TypedRow#UTF8} values into a PostgreSQL type, or null when they go as strings. */
    static Utf8Encoder utf8Encoder(String typname, int typmod) {
        int maxLength;
        switch (typname) {
            case "text", "json", "citext" -> maxLength = -1;
            case "varchar", "bpchar", "name" -> maxLength = typmod - 4;
            default -> {
                return null;
            }
        }
        return (out, b) -> {
            if (maxLength >= 0 && b.length > maxLength && codePoints(b) > maxLength) {
                throw new Misfit("longer than " + maxLength + " characters");
            }
            out.ensure(4 + b.length);
            out.putInt(b.length);
            System.arraycopy(b, 0, out.buf, out.pos, b.length);
            out.pos += b.length;
        };
    }

    /** Code points of valid UTF-8: the bytes that start a character. */
    private static int codePoints(byte[] utf8) {
        int n = 0;
        for (byte x : utf8) {
            if ((x & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }
}
