package org.wwi.sample;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

import static java.util.Objects.requireNonNull;

/**
 * A Spark SQL type and how Spark 3.5 stores it in Parquet by default (non-legacy format).
 *
 * @param json     the type as Spark writes it in its row metadata JSON, e.g. {@code decimal(10,2)}
 * @param physical the Parquet physical type
 * @param logical  the Parquet logical type annotation, or null
 * @param length   the length of a FIXED_LEN_BYTE_ARRAY, else 0
 */
record SparkType(String json, PrimitiveTypeName physical, LogicalTypeAnnotation logical, int length) {
    static final SparkType INTEGER = new SparkType("integer", PrimitiveTypeName.INT32, null, 0);
    static final SparkType LONG = new SparkType("long", PrimitiveTypeName.INT64, null, 0);
    static final SparkType FLOAT = new SparkType("float", PrimitiveTypeName.FLOAT, null, 0);
    static final SparkType BOOLEAN = new SparkType("boolean", PrimitiveTypeName.BOOLEAN, null, 0);
    static final SparkType STRING = new SparkType("string", PrimitiveTypeName.BINARY,
            LogicalTypeAnnotation.stringType(), 0);
    static final SparkType DATE = new SparkType("date", PrimitiveTypeName.INT32,
            LogicalTypeAnnotation.dateType(), 0);
    /** {@code spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS}. */
    static final SparkType TIMESTAMP_MICROS = new SparkType("timestamp", PrimitiveTypeName.INT64,
            LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS), 0);
    /** {@code spark.sql.parquet.outputTimestampType=INT96}, Spark's legacy default. */
    static final SparkType TIMESTAMP_INT96 = new SparkType("timestamp", PrimitiveTypeName.INT96, null, 0);

    SparkType {
        requireNonNull(json, "json is null");
        requireNonNull(physical, "physical is null");
    }

    /** INT32 up to precision 9, INT64 up to 18, else the fewest FIXED_LEN_BYTE_ARRAY bytes. */
    static SparkType decimal(int precision, int scale) {
        if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
            throw new IllegalArgumentException("Cannot use decimal(" + precision + "," + scale + ")");
        }
        String json = "decimal(" + precision + "," + scale + ")";
        LogicalTypeAnnotation logical = LogicalTypeAnnotation.decimalType(scale, precision);
        if (precision <= 9) {
            return new SparkType(json, PrimitiveTypeName.INT32, logical, 0);
        }
        if (precision <= 18) {
            return new SparkType(json, PrimitiveTypeName.INT64, logical, 0);
        }
        return new SparkType(json, PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, logical, minBytesForPrecision(precision));
    }

    /** Spark's {@code Decimal.minBytesForPrecision}: bytes of a two's complement holding 10^precision. */
    static int minBytesForPrecision(int precision) {
        int bytes = 1;
        while (Math.pow(2.0, 8 * bytes - 1) < Math.pow(10.0, precision)) {
            bytes++;
        }
        return bytes;
    }
}
