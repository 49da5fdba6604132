package org.wwi.external;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A T-SQL column type of an external table, with its PostgreSQL, Java and Parquet counterparts.
 * Immutable; the canonical constructor checks that the parameters fit the kind, so a value of
 * this type is always a type SQL Server would accept.
 *
 * <p>Meaning of the parameters (0 where a kind has none):
 * <ul>
 *   <li>{@code precision}: total digits of DECIMAL/NUMERIC (1–38; MONEY 19, SMALLMONEY 10), mantissa bits of
 *       FLOAT(n) (1–53; REAL is 24);</li>
 *   <li>{@code scale}: digits after the point of DECIMAL/NUMERIC (0–precision; MONEY/SMALLMONEY 4), fractional
 *       second digits of TIME, DATETIME2, DATETIMEOFFSET (0–7, default 7; DATETIME 3, SMALLDATETIME 0);</li>
 *   <li>{@code length}: characters of CHAR/VARCHAR (1–8000), NCHAR/NVARCHAR (1–4000), bytes of
 *       BINARY/VARBINARY (1–8000), or {@link #MAX} for VARCHAR(MAX), NVARCHAR(MAX), VARBINARY(MAX).</li>
 * </ul>
 *
 * @param kind      the T-SQL type
 * @param precision see above
 * @param scale     see above
 * @param length    see above
 */
public record ExternalType(Kind kind, int precision, int scale, int length) {

    /** {@code length} of the (MAX) types. */
    public static final int MAX = -1;

    /** The T-SQL types an external table may declare. */
    public enum Kind {
        TINYINT, SMALLINT, INT, BIGINT, BIT,
        DECIMAL, NUMERIC, MONEY, SMALLMONEY, FLOAT, REAL,
        DATE, TIME, DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET,
        CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY,
        UNIQUEIDENTIFIER;

        /** The kind named {@code name} in T-SQL (case-insensitive; INTEGER and DEC are aliases). */
        public static Optional<Kind> fromName(String name) {
            String n = requireNonNull(name, "name is null").toUpperCase(Locale.ROOT);
            if (n.equals("INTEGER")) {
                return Optional.of(INT);
            }
            if (n.equals("DEC")) {
                return Optional.of(DECIMAL);
            }
            return Arrays.stream(values()).filter(k -> k.name().equals(n)).findFirst();
        }

        boolean isString() {
            return this == CHAR || this == VARCHAR || this == NCHAR || this == NVARCHAR;
        }

        boolean hasLength() {
            return isString() || this == BINARY || this == VARBINARY;
        }

        boolean hasFractionalSeconds() {
            return this == TIME || this == DATETIME2 || this == DATETIMEOFFSET;
        }
    }

    public ExternalType {
        requireNonNull(kind, "kind is null");
        switch (kind) {
            case DECIMAL, NUMERIC -> {
                check(precision >= 1 && precision <= 38, kind, "precision must be 1 to 38, not " + precision);
                check(scale >= 0 && scale <= precision, kind,
                        "scale must be 0 to the precision " + precision + ", not " + scale);
                check(length == 0, kind, "has no length");
            }
            case MONEY -> fixed(kind, precision == 19 && scale == 4 && length == 0);
            case SMALLMONEY -> fixed(kind, precision == 10 && scale == 4 && length == 0);
            case FLOAT -> {
                check(precision >= 1 && precision <= 53, kind, "FLOAT(n) needs n from 1 to 53, not " + precision);
                check(scale == 0 && length == 0, kind, "has only a precision");
            }
            case REAL -> fixed(kind, precision == 24 && scale == 0 && length == 0);
            case TIME, DATETIME2, DATETIMEOFFSET -> {
                check(scale >= 0 && scale <= 7, kind, "fractional seconds must be 0 to 7, not " + scale);
                check(precision == 0 && length == 0, kind, "has only fractional seconds");
            }
            case DATETIME -> fixed(kind, precision == 0 && scale == 3 && length == 0);
            case SMALLDATETIME -> fixed(kind, precision == 0 && scale == 0 && length == 0);
            case CHAR, VARCHAR, BINARY, VARBINARY, NCHAR, NVARCHAR -> {
                int limit = kind == Kind.NCHAR || kind == Kind.NVARCHAR ? 4000 : 8000;
                boolean maxAllowed = kind == Kind.VARCHAR || kind == Kind.NVARCHAR || kind == Kind.VARBINARY;
                check((length >= 1 && length <= limit) || (length == MAX && maxAllowed), kind,
                        "length must be 1 to " + limit + (maxAllowed ? " or MAX" : "") + ", not "
                                + (length == MAX ? "MAX" : String.valueOf(length)));
                check(precision == 0 && scale == 0, kind, "has only a length");
            }
            default -> fixed(kind, precision == 0 && scale == 0 && length == 0);
        }
    }

    /** The type with its T-SQL defaults: DECIMAL(18,0), FLOAT(53), DATETIME2(7), VARCHAR(1), … */
    public static ExternalType of(Kind kind) {
        requireNonNull(kind, "kind is null");
        return switch (kind) {
            case DECIMAL, NUMERIC -> new ExternalType(kind, 18, 0, 0);
            case MONEY -> new ExternalType(kind, 19, 4, 0);
            case SMALLMONEY -> new ExternalType(kind, 10, 4, 0);
            case FLOAT -> new ExternalType(kind, 53, 0, 0);
            case REAL -> new ExternalType(kind, 24, 0, 0);
            case TIME, DATETIME2, DATETIMEOFFSET -> new ExternalType(kind, 0, 7, 0);
            case DATETIME -> new ExternalType(kind, 0, 3, 0);
            case CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY -> new ExternalType(kind, 0, 0, 1);
            default -> new ExternalType(kind, 0, 0, 0);
        };
    }

    /**
     * The type as declared with T-SQL arguments: {@code DECIMAL(p[,s])}, {@code FLOAT(n)},
     * {@code DATETIME2(n)}, {@code VARCHAR(n)} (pass {@link #MAX} for MAX). No arguments gives {@link #of(Kind)}.
     *
     * @throws IllegalArgumentException when the arguments do not fit the kind
     */
    public static ExternalType of(Kind kind, int... args) {
        requireNonNull(kind, "kind is null");
        requireNonNull(args, "args is null");
        if (args.length == 0) {
            return of(kind);
        }
        switch (kind) {
            case DECIMAL, NUMERIC -> {
                check(args.length <= 2, kind, "takes (precision[, scale])");
                return new ExternalType(kind, args[0], args.length == 2 ? args[1] : 0, 0);
            }
            case FLOAT -> {
                check(args.length == 1, kind, "takes (n)");
                return new ExternalType(kind, args[0], 0, 0);
            }
            case TIME, DATETIME2, DATETIMEOFFSET -> {
                check(args.length == 1, kind, "takes (fractional second digits)");
                return new ExternalType(kind, 0, args[0], 0);
            }
            case CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY -> {
                check(args.length == 1, kind, "takes (length)");
                return new ExternalType(kind, 0, 0, args[0]);
            }
            default -> throw new IllegalArgumentException(kind + " takes no arguments");
        }
    }

    public static ExternalType decimal(int precision, int scale) {
        return new ExternalType(Kind.DECIMAL, precision, scale, 0);
    }

    public static ExternalType varchar(int length) {
        return new ExternalType(Kind.VARCHAR, 0, 0, length);
    }

    public static ExternalType nvarchar(int length) {
        return new ExternalType(Kind.NVARCHAR, 0, 0, length);
    }

    public static ExternalType datetime2(int fractionalDigits) {
        return new ExternalType(Kind.DATETIME2, 0, fractionalDigits, 0);
    }

    /** True for VARCHAR(MAX), NVARCHAR(MAX), VARBINARY(MAX). */
    public boolean isMax() {
        return length == MAX;
    }

    /** True for CHAR, VARCHAR, NCHAR, NVARCHAR. */
    public boolean isString() {
        return kind.isString();
    }

    /** The T-SQL spelling, upper case: {@code INT}, {@code DECIMAL(10,2)}, {@code NVARCHAR(MAX)}, {@code DATETIME2(3)}. */
    public String sqlName() {
        return switch (kind) {
            case DECIMAL, NUMERIC -> kind + "(" + precision + "," + scale + ")";
            case FLOAT -> precision == 53 ? "FLOAT" : "FLOAT(" + precision + ")";
            case TIME, DATETIME2, DATETIMEOFFSET -> scale == 7 ? kind.name() : kind + "(" + scale + ")";
            case CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY ->
                    kind + "(" + (length == MAX ? "MAX" : String.valueOf(length)) + ")";
            default -> kind.name();
        };
    }

    /**
     * The PostgreSQL column type: {@code smallint} for TINYINT (see {@link #postgresCheck}),
     * {@code boolean} for BIT, {@code numeric(p,s)}, {@code real} / {@code double precision},
     * {@code timestamp[(n)]} for DATETIME2 (PostgreSQL keeps microseconds: n above 6 becomes 6),
     * {@code timestamptz[(n)]} for DATETIMEOFFSET, {@code varchar(n)} / {@code char(n)}, {@code text} for (MAX),
     * {@code bytea}, {@code uuid}.
     */
    public String postgresType() {
        return switch (kind) {
            case TINYINT, SMALLINT -> "smallint";
            case INT -> "integer";
            case BIGINT -> "bigint";
            case BIT -> "boolean";
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> "numeric(" + precision + "," + scale + ")";
            case FLOAT -> precision <= 24 ? "real" : "double precision";
            case REAL -> "real";
            case DATE -> "date";
            case TIME -> "time" + fraction();
            case DATETIME, SMALLDATETIME, DATETIME2 -> "timestamp" + fraction();
            case DATETIMEOFFSET -> "timestamptz" + fraction();
            case CHAR, NCHAR -> "char(" + length + ")";
            case VARCHAR, NVARCHAR -> length == MAX ? "text" : "varchar(" + length + ")";
            case BINARY, VARBINARY -> "bytea";
            case UNIQUEIDENTIFIER -> "uuid";
        };
    }

    /** A CHECK expression PostgreSQL needs to keep T-SQL's range (TINYINT is 0–255), for {@code column} as quoted. */
    public Optional<String> postgresCheck(String quotedColumn) {
        requireNonNull(quotedColumn, "quotedColumn is null");
        return kind == Kind.TINYINT ? Optional.of(quotedColumn + " between 0 and 255") : Optional.empty();
    }

    /** The Java class of values of this type as readers produce them and binary COPY writes them. */
    public Class<?> javaClass() {
        return switch (kind) {
            case TINYINT, SMALLINT -> Short.class;
            case INT -> Integer.class;
            case BIGINT -> Long.class;
            case BIT -> Boolean.class;
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> BigDecimal.class;
            case FLOAT -> precision <= 24 ? Float.class : Double.class;
            case REAL -> Float.class;
            case DATE -> LocalDate.class;
            case TIME -> LocalTime.class;
            case DATETIME, SMALLDATETIME, DATETIME2 -> LocalDateTime.class;
            case DATETIMEOFFSET -> OffsetDateTime.class;
            case CHAR, VARCHAR, NCHAR, NVARCHAR -> String.class;
            case BINARY, VARBINARY -> byte[].class;
            case UNIQUEIDENTIFIER -> UUID.class;
        };
    }

    /**
     * The Parquet type(s) Spark writes for this type, for documentation and error messages
     * (physical type, logical annotation in parentheses).
     */
    public String parquetType() {
        return switch (kind) {
            case TINYINT -> "INT32 (INT(8))";
            case SMALLINT -> "INT32 (INT(16))";
            case INT -> "INT32";
            case BIGINT -> "INT64";
            case BIT -> "BOOLEAN";
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY ->
                    "INT32 | INT64 | FIXED_LEN_BYTE_ARRAY (DECIMAL(" + precision + "," + scale + "))";
            case FLOAT -> precision <= 24 ? "FLOAT" : "DOUBLE";
            case REAL -> "FLOAT";
            case DATE -> "INT32 (DATE)";
            case TIME -> "INT64 (TIME(MICROS))";
            case DATETIME, SMALLDATETIME, DATETIME2 -> "INT64 (TIMESTAMP(MICROS|MILLIS|NANOS)) | INT96";
            case DATETIMEOFFSET -> "INT64 (TIMESTAMP(MICROS, UTC)) | INT96";
            case CHAR, VARCHAR, NCHAR, NVARCHAR -> "BINARY (STRING)";
            case BINARY, VARBINARY -> "BINARY";
            case UNIQUEIDENTIFIER -> "FIXED_LEN_BYTE_ARRAY(16) (UUID) | BINARY (STRING)";
        };
    }

    @Override
    public String toString() {
        return sqlName();
    }

    private String fraction() {
        int digits = Math.min(scale, 6);
        return digits == 6 ? "" : "(" + digits + ")";
    }

    private static void fixed(Kind kind, boolean ok) {
        check(ok, kind, "takes no arguments");
    }

    private static void check(boolean ok, Kind kind, String message) {
        if (!ok) {
            throw new IllegalArgumentException(kind + " " + message);
        }
    }
}
