package org.wwi.external.query;

import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Between the readers' Java values ({@link ExternalType#javaClass()}) and Calcite's: Calcite
 * represents DATE as days (int), TIMESTAMP as UTC milliseconds (long, so sub-millisecond digits
 * are not visible in queries; loads keep microseconds), TIME as milliseconds of the day,
 * VARBINARY as {@link ByteString}.
 */
final class CalciteValues {
    private CalciteValues() {
    }

    static RelDataType type(RelDataTypeFactory f, ExternalColumn c) {
        ExternalType t = c.type();
        RelDataType type = switch (t.kind()) {
            case TINYINT, SMALLINT -> f.createSqlType(SqlTypeName.SMALLINT);
            case INT -> f.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> f.createSqlType(SqlTypeName.BIGINT);
            case BIT -> f.createSqlType(SqlTypeName.BOOLEAN);
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> f.createSqlType(SqlTypeName.DECIMAL, t.precision(), t.scale());
            case FLOAT -> f.createSqlType(t.precision() <= 24 ? SqlTypeName.REAL : SqlTypeName.DOUBLE);
            case REAL -> f.createSqlType(SqlTypeName.REAL);
            case DATE -> f.createSqlType(SqlTypeName.DATE);
            case TIME -> f.createSqlType(SqlTypeName.TIME, 3);
            case DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
            case CHAR, VARCHAR, NCHAR, NVARCHAR -> t.isMax() ? f.createSqlType(SqlTypeName.VARCHAR)
                    : f.createSqlType(SqlTypeName.VARCHAR, t.length());
            case BINARY, VARBINARY -> f.createSqlType(SqlTypeName.VARBINARY);
            case UNIQUEIDENTIFIER -> f.createSqlType(SqlTypeName.CHAR, 36);
        };
        return f.createTypeWithNullability(type, c.nullable());
    }

    /** A reader value as Calcite's internal representation. */
    static Object toCalcite(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof LocalDate d) {
            return (int) d.toEpochDay();
        }
        if (v instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant().toEpochMilli();
        }
        if (v instanceof LocalTime t) {
            return (int) (t.toNanoOfDay() / 1_000_000);
        }
        if (v instanceof byte[] b) {
            return new ByteString(b);
        }
        if (v instanceof UUID u) {
            return u.toString();
        }
        return v;
    }

    /** A literal compared with a column, as the column type's Java value; empty when it does not map exactly. */
    static Optional<Object> literal(RexLiteral literal, ExternalType type) {
        try {
            if (literal.isNull()) {
                return Optional.empty();
            }
            Object v = switch (type.kind()) {
                case TINYINT, SMALLINT -> literal.getValueAs(BigDecimal.class).shortValueExact();
                case INT -> literal.getValueAs(BigDecimal.class).intValueExact();
                case BIGINT -> literal.getValueAs(BigDecimal.class).longValueExact();
                case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> literal.getValueAs(BigDecimal.class);
                case FLOAT -> type.precision() <= 24 ? (Object) literal.getValueAs(Float.class)
                        : (Object) literal.getValueAs(Double.class);
                case REAL -> literal.getValueAs(Float.class);
                case BIT -> literal.getValueAs(Boolean.class);
                case DATE -> literal.getTypeName() == SqlTypeName.DATE
                        ? LocalDate.parse(literal.getValueAs(DateString.class).toString()) : null;
                case DATETIME, SMALLDATETIME, DATETIME2 -> literal.getTypeName() == SqlTypeName.TIMESTAMP
                        ? LocalDateTime.parse(literal.getValueAs(TimestampString.class).toString().replace(' ', 'T'))
                        : null;
                case DATETIMEOFFSET -> literal.getTypeName() == SqlTypeName.TIMESTAMP
                        ? LocalDateTime.parse(literal.getValueAs(TimestampString.class).toString().replace(' ', 'T'))
                        .atOffset(ZoneOffset.UTC) : null;
                case CHAR, VARCHAR, NCHAR, NVARCHAR -> literal.getTypeName() == SqlTypeName.CHAR
                        || literal.getTypeName() == SqlTypeName.VARCHAR ? literal.getValueAs(String.class) : null;
                default -> null;
            };
            return Optional.ofNullable(v);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
