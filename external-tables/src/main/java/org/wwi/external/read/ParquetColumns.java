package org.wwi.external.read;

import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Which Parquet columns fit which declared types, and the converters that turn Parquet values into
 * the declared type's Java values ({@link ExternalType#javaClass()}). A declared type narrower than
 * the file's (BIGINT data into INT, DECIMAL(12,2) into DECIMAL(10,2), a timestamp into DATE) does
 * not fit: the reader fails naming file, column and both types rather than truncating.
 */
final class ParquetColumns {
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /**
     * Where a converter puts its value; {@code reject} marks the current row as rejected. Converters
     * made with {@code typed} put some values with {@link #setLong} and {@link #setUtf8} in the forms
     * {@link TypedRow} describes.
     */
    interface Row {
        void set(int slot, Object value);

        void setLong(int slot, long value);

        void setUtf8(int slot, byte[] value);

        void reject(int slot, String raw, String reason);
    }

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
        100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
        1_000_000_000_000_000_000L};

    private ParquetColumns() {
    }

    /** The file type as text: {@code INT64}, {@code INT64 (TIMESTAMP(MICROS,true))}. */
    static String describe(PrimitiveType t) {
        LogicalTypeAnnotation l = t.getLogicalTypeAnnotation();
        String physical = t.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
                ? "FIXED_LEN_BYTE_ARRAY(" + t.getTypeLength() + ")" : t.getPrimitiveTypeName().name();
        return l == null ? physical : physical + " (" + l + ")";
    }

    /** The T-SQL type that holds the file's values exactly, for messages. */
    static String sqlEquivalent(PrimitiveType t) {
        LogicalTypeAnnotation l = t.getLogicalTypeAnnotation();
        if (l instanceof DecimalLogicalTypeAnnotation d) {
            return "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return "DATE";
        }
        if (l instanceof TimestampLogicalTypeAnnotation ts) {
            return ts.isAdjustedToUTC() ? "DATETIMEOFFSET" : "DATETIME2";
        }
        if (l instanceof TimeLogicalTypeAnnotation) {
            return "TIME";
        }
        if (l instanceof IntLogicalTypeAnnotation i) {
            int w = intWidth(t);
            return w <= 9 && !i.isSigned() ? "TINYINT" : w <= 16 ? "SMALLINT" : w <= 32 ? "INT" : w <= 64 ? "BIGINT"
                    : "DECIMAL(20,0)";
        }
        return switch (t.getPrimitiveTypeName()) {
            case BOOLEAN -> "BIT";
            case INT32 -> "INT";
            case INT64 -> "BIGINT";
            case INT96 -> "DATETIME2";
            case FLOAT -> "REAL";
            case DOUBLE -> "FLOAT";
            case BINARY, FIXED_LEN_BYTE_ARRAY -> isText(l) ? "NVARCHAR(MAX)" : "VARBINARY(MAX)";
        };
    }

    /** Bits an integer column needs as a signed number (unsigned 8 bits → 9). 0 for non-integers. */
    private static int intWidth(PrimitiveType t) {
        LogicalTypeAnnotation l = t.getLogicalTypeAnnotation();
        if (l instanceof IntLogicalTypeAnnotation i) {
            return i.getBitWidth() + (i.isSigned() ? 0 : 1);
        }
        if (l != null) {
            return 0;
        }
        return switch (t.getPrimitiveTypeName()) {
            case INT32 -> 32;
            case INT64 -> 64;
            default -> 0;
        };
    }

    private static boolean isText(LogicalTypeAnnotation l) {
        return l instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || l instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || l instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
    }

    /** Precision and scale of decimal or integer file columns, as a DECIMAL would need them; empty otherwise. */
    private static Optional<int[]> decimalShape(PrimitiveType t) {
        LogicalTypeAnnotation l = t.getLogicalTypeAnnotation();
        if (l instanceof DecimalLogicalTypeAnnotation d) {
            return Optional.of(new int[] {d.getPrecision(), d.getScale()});
        }
        int w = intWidth(t);
        if (w == 0) {
            return Optional.empty();
        }
        int digits = w <= 8 ? 3 : w <= 9 ? 3 : w <= 16 ? 5 : w <= 17 ? 5 : w <= 32 ? 10 : w <= 33 ? 10 : w <= 64 ? 19 : 20;
        return Optional.of(new int[] {digits, 0});
    }

    /**
     * The converter of a file column into a declared column, or empty when the declared type cannot
     * hold the file's values (the caller reports the mismatch). With {@code typed}, integers, decimals
     * on INT32/INT64, millisecond and microsecond timestamps and text are put as numbers or UTF-8
     * bytes ({@link TypedRow}); otherwise every value is put as its Java object.
     */
    static Optional<PrimitiveConverter> converter(ExternalColumn column, PrimitiveType file, Row row, int slot,
                                                  boolean typed) {
        ExternalType type = column.type();
        LogicalTypeAnnotation l = file.getLogicalTypeAnnotation();
        PrimitiveTypeName p = file.getPrimitiveTypeName();
        int width = intWidth(file);
        switch (type.kind()) {
            case BIT:
                return p == PrimitiveTypeName.BOOLEAN ? Optional.of(new PrimitiveConverter() {
                    @Override
                    public void addBoolean(boolean value) {
                        row.set(slot, value);
                    }
                }) : Optional.empty();
            case TINYINT:
                if (width == 9 || width == 8 && p == PrimitiveTypeName.INT32) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addInt(int value) {
                            if (value < 0 || value > 255) {
                                row.reject(slot, Integer.toString(value), "out of range for TINYINT (0 to 255)");
                            } else {
                                row.set(slot, (short) value);
                            }
                        }
                    });
                }
                return Optional.empty();
            case SMALLINT:
                return width > 0 && width <= 16 && p == PrimitiveTypeName.INT32 ? Optional.of(new PrimitiveConverter() {
                    @Override
                    public void addInt(int value) {
                        row.set(slot, (short) value);
                    }
                }) : Optional.empty();
            case INT:
                if (!(width > 0 && width <= 32 && p == PrimitiveTypeName.INT32)) {
                    return Optional.empty();
                }
                return Optional.of(typed ? new PrimitiveConverter() {
                    @Override
                    public void addInt(int value) {
                        row.setLong(slot, value);
                    }
                } : new PrimitiveConverter() {
                    @Override
                    public void addInt(int value) {
                        row.set(slot, value);
                    }
                });
            case BIGINT:
                if (width > 0 && width <= 32 && p == PrimitiveTypeName.INT32) {
                    boolean unsigned32 = width == 33;
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addInt(int value) {
                            row.set(slot, unsigned32 ? Integer.toUnsignedLong(value) : (long) value);
                        }
                    });
                }
                if (width == 33 && p == PrimitiveTypeName.INT32) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addInt(int value) {
                            row.set(slot, Integer.toUnsignedLong(value));
                        }
                    });
                }
                if (!(width > 0 && width <= 64 && p == PrimitiveTypeName.INT64)) {
                    return Optional.empty();
                }
                return Optional.of(typed ? new PrimitiveConverter() {
                    @Override
                    public void addLong(long value) {
                        row.setLong(slot, value);
                    }
                } : new PrimitiveConverter() {
                    @Override
                    public void addLong(long value) {
                        row.set(slot, value);
                    }
                });
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY:
                return decimal(type, file, row, slot, typed);
            case REAL:
            case FLOAT:
                boolean single = type.kind() == ExternalType.Kind.REAL || type.precision() <= 24;
                if (p == PrimitiveTypeName.FLOAT) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addFloat(float value) {
                            row.set(slot, single ? (Object) value : (Object) (double) value);
                        }
                    });
                }
                if (!single && p == PrimitiveTypeName.DOUBLE) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addDouble(double value) {
                            row.set(slot, value);
                        }
                    });
                }
                if (!single && p == PrimitiveTypeName.INT32 && width > 0 && width <= 33) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addInt(int value) {
                            row.set(slot, width == 33 ? (double) Integer.toUnsignedLong(value) : (double) value);
                        }
                    });
                }
                return Optional.empty();
            case DATE:
                return l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? Optional.of(new PrimitiveConverter() {
                    @Override
                    public void addInt(int value) {
                        row.set(slot, LocalDate.ofEpochDay(value));
                    }
                }) : Optional.empty();
            case TIME:
                if (l instanceof TimeLogicalTypeAnnotation t) {
                    long nanosPerUnit = switch (t.getUnit()) {
                        case MILLIS -> 1_000_000L;
                        case MICROS -> 1_000L;
                        case NANOS -> 1L;
                    };
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addInt(int value) {
                            row.set(slot, LocalTime.ofNanoOfDay(value * nanosPerUnit));
                        }

                        @Override
                        public void addLong(long value) {
                            row.set(slot, LocalTime.ofNanoOfDay(value * nanosPerUnit));
                        }
                    });
                }
                return Optional.empty();
            case DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET:
                return timestamp(type, file, row, slot, typed);
            case CHAR, VARCHAR, NCHAR, NVARCHAR:
                if ((p == PrimitiveTypeName.BINARY || p == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) && (l == null || isText(l))) {
                    return Optional.of(new StringConverter(type, row, slot, typed));
                }
                if (l instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addBinary(Binary value) {
                            row.set(slot, uuid(value).toString());
                        }
                    });
                }
                return Optional.empty();
            case BINARY, VARBINARY:
                if ((p == PrimitiveTypeName.BINARY || p == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
                        && !(l instanceof DecimalLogicalTypeAnnotation)) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addBinary(Binary value) {
                            byte[] bytes = value.getBytes();
                            if (!type.isMax() && bytes.length > type.length()) {
                                row.reject(slot, "(" + bytes.length + " bytes)", "longer than " + type.sqlName());
                            } else {
                                row.set(slot, bytes);
                            }
                        }
                    });
                }
                return Optional.empty();
            case UNIQUEIDENTIFIER:
                if (l instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addBinary(Binary value) {
                            row.set(slot, uuid(value));
                        }
                    });
                }
                if (p == PrimitiveTypeName.BINARY && isText(l)) {
                    return Optional.of(new PrimitiveConverter() {
                        @Override
                        public void addBinary(Binary value) {
                            String s = value.toStringUsingUTF8();
                            try {
                                row.set(slot, UUID.fromString(s));
                            } catch (IllegalArgumentException e) {
                                row.reject(slot, s, "not a UNIQUEIDENTIFIER");
                            }
                        }
                    });
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }

    private static UUID uuid(Binary value) {
        ByteBuffer b = value.toByteBuffer();
        return new UUID(b.getLong(b.position()), b.getLong(b.position() + 8));
    }

    private static Optional<PrimitiveConverter> decimal(ExternalType type, PrimitiveType file, Row row, int slot,
                                                        boolean typed) {
        Optional<int[]> shape = decimalShape(file);
        if (shape.isEmpty()) {
            return Optional.empty();
        }
        int p = shape.get()[0];
        int s = shape.get()[1];
        if (type.scale() < s || type.precision() - type.scale() < p - s) {
            return Optional.empty();
        }
        int target = type.scale();
        boolean unsigned = intWidth(file) == 9 || intWidth(file) == 17 || intWidth(file) == 33 || intWidth(file) == 65;
        PrimitiveTypeName physical = file.getPrimitiveTypeName();
        if (typed && !unsigned && target - s < POW10.length
                && (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64)) {
            return Optional.of(typedDecimal(row, slot, s, target, physical == PrimitiveTypeName.INT32));
        }
        return Optional.of(new PrimitiveConverter() {
            private BigDecimal[] dictionary;

            @Override
            public void addInt(int value) {
                row.set(slot, BigDecimal.valueOf(unsigned ? Integer.toUnsignedLong(value) : value, s).setScale(target));
            }

            @Override
            public void addLong(long value) {
                BigDecimal d = unsigned && value < 0
                        ? new BigDecimal(new BigInteger(Long.toUnsignedString(value)), s)
                        : BigDecimal.valueOf(value, s);
                row.set(slot, d.setScale(target));
            }

            @Override
            public void addBinary(Binary value) {
                row.set(slot, new BigDecimal(new BigInteger(value.getBytes()), s).setScale(target));
            }

            @Override
            public boolean hasDictionarySupport() {
                return true;
            }

            @Override
            public void setDictionary(Dictionary d) {
                dictionary = new BigDecimal[d.getMaxId() + 1];
                for (int i = 0; i <= d.getMaxId(); i++) {
                    BigDecimal v = switch (file.getPrimitiveTypeName()) {
                        case INT32 -> BigDecimal.valueOf(d.decodeToInt(i), s);
                        case INT64 -> BigDecimal.valueOf(d.decodeToLong(i), s);
                        default -> new BigDecimal(new BigInteger(d.decodeToBinary(i).getBytes()), s);
                    };
                    dictionary[i] = v.setScale(target);
                }
            }

            @Override
            public void addValueFromDictionary(int id) {
                row.set(slot, dictionary[id]);
            }
        });
    }

    /**
     * Decimals on INT32/INT64 as unscaled longs at the declared scale; a value whose rescaling would
     * not fit a long goes as a BigDecimal.
     */
    private static PrimitiveConverter typedDecimal(Row row, int slot, int fileScale, int target, boolean int32) {
        long factor = POW10[target - fileScale];
        long limit = Long.MAX_VALUE / factor;
        return new PrimitiveConverter() {
            private long[] dictionary;
            private BigDecimal[] wide;

            private void put(long unscaled) {
                if (unscaled >= -limit && unscaled <= limit) {
                    row.setLong(slot, unscaled * factor);
                } else {
                    row.set(slot, BigDecimal.valueOf(unscaled, fileScale).setScale(target));
                }
            }

            @Override
            public void addInt(int value) {
                put(value);
            }

            @Override
            public void addLong(long value) {
                put(value);
            }

            @Override
            public boolean hasDictionarySupport() {
                return true;
            }

            @Override
            public void setDictionary(Dictionary d) {
                dictionary = new long[d.getMaxId() + 1];
                wide = null;
                for (int i = 0; i <= d.getMaxId(); i++) {
                    long unscaled = int32 ? d.decodeToInt(i) : d.decodeToLong(i);
                    if (unscaled >= -limit && unscaled <= limit) {
                        dictionary[i] = unscaled * factor;
                    } else {
                        if (wide == null) {
                            wide = new BigDecimal[d.getMaxId() + 1];
                        }
                        wide[i] = BigDecimal.valueOf(unscaled, fileScale).setScale(target);
                    }
                }
            }

            @Override
            public void addValueFromDictionary(int id) {
                if (wide != null && wide[id] != null) {
                    row.set(slot, wide[id]);
                } else {
                    row.setLong(slot, dictionary[id]);
                }
            }
        };
    }

    private static Optional<PrimitiveConverter> timestamp(ExternalType type, PrimitiveType file, Row row, int slot,
                                                          boolean typed) {
        boolean offset = type.kind() == ExternalType.Kind.DATETIMEOFFSET;
        LogicalTypeAnnotation l = file.getLogicalTypeAnnotation();
        if (file.getPrimitiveTypeName() == PrimitiveTypeName.INT96 && l == null) {
            return Optional.of(new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                    ByteBuffer b = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    long nanosOfDay = b.getLong(b.position());
                    long julianDay = b.getInt(b.position() + 8);
                    long epochDay = julianDay - JULIAN_EPOCH_DAY;
                    row.set(slot, instant(epochDay * 86_400L + Math.floorDiv(nanosOfDay, 1_000_000_000L),
                            Math.floorMod(nanosOfDay, 1_000_000_000L), offset));
                }
            });
        }
        if (l instanceof TimestampLogicalTypeAnnotation ts && file.getPrimitiveTypeName() == PrimitiveTypeName.INT64) {
            long perSecond = switch (ts.getUnit()) {
                case MILLIS -> 1_000L;
                case MICROS -> 1_000_000L;
                case NANOS -> 1_000_000_000L;
            };
            long nanosPerUnit = 1_000_000_000L / perSecond;
            if (typed && perSecond <= 1_000_000L) {
                long microsPerUnit = 1_000_000L / perSecond;
                return Optional.of(new PrimitiveConverter() {
                    @Override
                    public void addLong(long value) {
                        row.setLong(slot, Math.multiplyExact(value, microsPerUnit));
                    }
                });
            }
            return Optional.of(new PrimitiveConverter() {
                @Override
                public void addLong(long value) {
                    row.set(slot, instant(Math.floorDiv(value, perSecond), Math.floorMod(value, perSecond) * nanosPerUnit,
                            offset));
                }
            });
        }
        if (l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return Optional.of(new PrimitiveConverter() {
                @Override
                public void addInt(int value) {
                    LocalDateTime t = LocalDate.ofEpochDay(value).atStartOfDay();
                    row.set(slot, offset ? t.atOffset(ZoneOffset.UTC) : t);
                }
            });
        }
        return Optional.empty();
    }

    /** Timestamps are read as UTC: adjusted-to-UTC instants and local (not adjusted) wall-clock times alike. */
    private static Object instant(long epochSecond, long nanos, boolean offset) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, (int) nanos, ZoneOffset.UTC);
        return offset ? t.atOffset(ZoneOffset.UTC) : t;
    }

    /**
     * Strings, decoding each dictionary entry once. Typed: dictionary entries as their UTF-8 bytes
     * (encoded once), other ASCII values as the file's bytes; other values as strings.
     */
    private static final class StringConverter extends PrimitiveConverter {
        private final ExternalType type;
        private final Row row;
        private final int slot;
        private final boolean typed;
        private String[] dictionary;
        private byte[][] dictionaryUtf8;

        StringConverter(ExternalType type, Row row, int slot, boolean typed) {
            this.type = type;
            this.row = row;
            this.slot = slot;
            this.typed = typed;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary d) {
            dictionary = new String[d.getMaxId() + 1];
            dictionaryUtf8 = typed ? new byte[d.getMaxId() + 1][] : null;
            for (int i = 0; i <= d.getMaxId(); i++) {
                dictionary[i] = d.decodeToBinary(i).toStringUsingUTF8();
                if (typed) {
                    // from the decoded string: invalid file bytes become U+FFFD as in the string
                    dictionaryUtf8[i] = dictionary[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }

        @Override
        public void addValueFromDictionary(int id) {
            if (typed) {
                String s = dictionary[id];
                if (!type.isMax() && s.length() > type.length()) {
                    put(s);
                } else {
                    row.setUtf8(slot, dictionaryUtf8[id]);
                }
                return;
            }
            put(dictionary[id]);
        }

        @Override
        public void addBinary(Binary value) {
            if (typed) {
                byte[] bytes = value.getBytes();
                if (ascii(bytes) && (type.isMax() || bytes.length <= type.length())) {
                    row.setUtf8(slot, bytes);
                    return;
                }
            }
            put(value.toStringUsingUTF8());
        }

        private static boolean ascii(byte[] bytes) {
            int bits = 0;
            for (byte b : bytes) {
                bits |= b;
            }
            return bits >= 0;
        }

        private void put(String s) {
            if (!type.isMax() && s.length() > type.length()) {
                row.reject(slot, s, "longer than " + type.sqlName() + " (" + s.length() + " characters)");
            } else {
                row.set(slot, s);
            }
        }
    }
}
