package org.wwi.external.read;

import org.wwi.external.ExternalType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Converts text (delimited fields, Hive partition folder values) into values of a declared type,
 * as {@link ExternalType#javaClass()} says. A value that does not convert raises {@link BadValue}
 * with the reason that goes into the reject table.
 */
final class TextValues {
    /** ISO-like default for date and time fields when the file format has no DATE_FORMAT. */
    static final DateTimeFormatter DEFAULT_DATETIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().optionalEnd()
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    /** Why a value did not convert. */
    static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    private TextValues() {
    }

    /** The type's default for an empty field under USE_TYPE_DEFAULT = TRUE (PolyBase: 0, '', 1900-01-01). */
    static Object typeDefault(ExternalType type) {
        return switch (type.kind()) {
            case TINYINT, SMALLINT -> (short) 0;
            case INT -> 0;
            case BIGINT -> 0L;
            case BIT -> Boolean.FALSE;
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> BigDecimal.ZERO.setScale(type.scale());
            case FLOAT -> type.precision() <= 24 ? (Object) 0f : (Object) 0d;
            case REAL -> 0f;
            case DATE -> LocalDate.of(1900, 1, 1);
            case TIME -> LocalTime.MIDNIGHT;
            case DATETIME, SMALLDATETIME, DATETIME2 -> LocalDateTime.of(1900, 1, 1, 0, 0);
            case DATETIMEOFFSET -> OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
            case CHAR, VARCHAR, NCHAR, NVARCHAR -> "";
            case BINARY, VARBINARY -> new byte[0];
            case UNIQUEIDENTIFIER -> new UUID(0, 0);
        };
    }

    static Object parse(ExternalType type, String text, Optional<DateTimeFormatter> dateFormat) throws BadValue {
        String t = type.isString() ? text : text.strip();
        try {
            return switch (type.kind()) {
                case TINYINT -> {
                    int v = Integer.parseInt(t);
                    if (v < 0 || v > 255) {
                        throw new BadValue("out of range for TINYINT (0 to 255)");
                    }
                    yield (short) v;
                }
                case SMALLINT -> Short.parseShort(t);
                case INT -> Integer.parseInt(t);
                case BIGINT -> Long.parseLong(t);
                case BIT -> switch (t.toLowerCase(Locale.ROOT)) {
                    case "1", "true" -> Boolean.TRUE;
                    case "0", "false" -> Boolean.FALSE;
                    default -> throw new BadValue("not a BIT (1, 0, true or false)");
                };
                case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> decimal(type, new BigDecimal(t));
                case FLOAT -> type.precision() <= 24 ? (Object) Float.parseFloat(t) : (Object) Double.parseDouble(t);
                case REAL -> Float.parseFloat(t);
                case DATE -> LocalDate.from(temporal(type, t, dateFormat, DateTimeFormatter.ISO_LOCAL_DATE));
                case TIME -> LocalTime.from(temporal(type, t, dateFormat, DateTimeFormatter.ISO_LOCAL_TIME));
                case DATETIME, SMALLDATETIME, DATETIME2 -> localDateTime(temporal(type, t, dateFormat, DEFAULT_DATETIME));
                case DATETIMEOFFSET -> {
                    TemporalAccessor ta = temporal(type, t, dateFormat, DEFAULT_DATETIME);
                    yield ta.isSupported(ChronoField.OFFSET_SECONDS) ? OffsetDateTime.of(localDateTime(ta),
                            ZoneOffset.ofTotalSeconds(ta.get(ChronoField.OFFSET_SECONDS)))
                            : localDateTime(ta).atOffset(ZoneOffset.UTC);
                }
                case CHAR, VARCHAR, NCHAR, NVARCHAR -> string(type, text);
                case BINARY, VARBINARY -> bytes(type, t.startsWith("0x") || t.startsWith("0X")
                        ? HexFormat.of().parseHex(t.substring(2)) : t.getBytes(StandardCharsets.UTF_8));
                case UNIQUEIDENTIFIER -> UUID.fromString(t);
            };
        } catch (NumberFormatException e) {
            throw new BadValue("not a number for " + type.sqlName());
        } catch (java.time.DateTimeException e) {
            throw new BadValue("not a " + type.sqlName() + dateFormat.map(f -> " for DATE_FORMAT").orElse("")
                    + " (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new BadValue("not a " + type.sqlName() + " (" + e.getMessage() + ")");
        }
    }

    static BigDecimal decimal(ExternalType type, BigDecimal v) throws BadValue {
        BigDecimal scaled = v.setScale(type.scale(), RoundingMode.HALF_UP);
        if (scaled.precision() - scaled.scale() > type.precision() - type.scale()) {
            throw new BadValue("out of range for " + type.sqlName());
        }
        return scaled;
    }

    static String string(ExternalType type, String v) throws BadValue {
        if (!type.isMax() && v.length() > type.length()) {
            throw new BadValue("longer than " + type.sqlName() + " (" + v.length() + " characters)");
        }
        return v;
    }

    static byte[] bytes(ExternalType type, byte[] v) throws BadValue {
        if (!type.isMax() && v.length > type.length()) {
            throw new BadValue("longer than " + type.sqlName() + " (" + v.length + " bytes)");
        }
        return v;
    }

    private static TemporalAccessor temporal(ExternalType type, String t, Optional<DateTimeFormatter> format,
                                             DateTimeFormatter fallback) {
        return format.orElse(fallback).parse(t);
    }

    private static LocalDateTime localDateTime(TemporalAccessor ta) {
        LocalDate date = LocalDate.from(ta);
        return ta.isSupported(ChronoField.HOUR_OF_DAY) ? LocalDateTime.of(date, LocalTime.from(ta)) : date.atStartOfDay();
    }
}
