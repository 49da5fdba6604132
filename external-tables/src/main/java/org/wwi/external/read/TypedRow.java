package org.wwi.external.read;

import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The current row of a cursor opened with {@link TableReader#openTyped}: each value in one of a few
 * forms, so that a writer that encodes values itself (the binary COPY loader) needs no Java object
 * per value. {@link #form} tells the form of a slot's current value:
 * <ul>
 *   <li>{@link #NULL};</li>
 *   <li>{@link #LONG}: a number whose meaning follows the declared type ({@link #longValue}):
 *       integer types the value; DECIMAL, NUMERIC, MONEY, SMALLMONEY the unscaled value at the declared
 *       scale; DATE the days since 1970-01-01; DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET the
 *       microseconds since 1970-01-01T00:00 UTC;</li>
 *   <li>{@link #UTF8}: text as valid UTF-8 bytes ({@link #utf8}; the array is not to be changed);</li>
 *   <li>{@link #OBJECT}: the Java value of the declared type, as {@link FileCursor#row()} has it.</li>
 * </ul>
 * {@link #object} gives any non-null value as its Java object (built on demand for the first two).
 */
public abstract class TypedRow {
    public static final byte NULL = 0;
    public static final byte OBJECT = 1;
    public static final byte LONG = 2;
    public static final byte UTF8 = 3;

    /** The form of the slot's current value. */
    public abstract byte form(int slot);

    /** The value of a {@link #LONG} slot. */
    public abstract long longValue(int slot);

    /** The bytes of a {@link #UTF8} slot. */
    public abstract byte[] utf8(int slot);

    /** The Java value of any slot (null for {@link #NULL}), as {@link FileCursor#row()} has it. */
    public abstract Object object(int slot);

    /** A row of Java values (every slot {@link #OBJECT} or {@link #NULL}); the array is read, not copied. */
    public static TypedRow of(Object[] values) {
        return new TypedRow() {
            @Override
            public byte form(int slot) {
                return values[slot] == null ? NULL : OBJECT;
            }

            @Override
            public long longValue(int slot) {
                throw new IllegalStateException("slot " + slot + " holds an object");
            }

            @Override
            public byte[] utf8(int slot) {
                throw new IllegalStateException("slot " + slot + " holds an object");
            }

            @Override
            public Object object(int slot) {
                return values[slot];
            }
        };
    }

    /** The Java value of a {@link #LONG} of a declared column, as the object converters build it. */
    static Object objectOf(ExternalColumn column, long v) {
        ExternalType type = column.type();
        return switch (type.kind()) {
            case TINYINT, SMALLINT -> (short) v;
            case INT -> (int) v;
            case BIGINT -> v;
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> BigDecimal.valueOf(v, type.scale());
            case DATE -> LocalDate.ofEpochDay(v);
            case DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET -> {
                LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(v, 1_000_000L),
                        (int) (Math.floorMod(v, 1_000_000L) * 1000), ZoneOffset.UTC);
                yield type.kind() == ExternalType.Kind.DATETIMEOFFSET ? t.atOffset(ZoneOffset.UTC) : t;
            }
            default -> throw new IllegalStateException("no number form for " + type.sqlName());
        };
    }

    static String stringOf(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
