package org.wwi.external.read;

import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.filter2.predicate.Operators;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.wwi.external.ExternalColumn;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Pushed predicates as a parquet {@link FilterPredicate}, which parquet-hadoop uses to skip row
 * groups (min/max statistics, dictionaries) and pages (column indexes). Only predicates whose
 * file column and value map exactly are translated; the others stay with the query engine, which
 * evaluates every predicate on the rows read anyway, so a skipped translation costs speed, never
 * correctness.
 */
final class ParquetFilters {
    private ParquetFilters() {
    }

    static Optional<FilterPredicate> toParquet(List<Predicate> predicates, List<ExternalColumn> tableColumns,
                                               MessageType fileSchema) {
        FilterPredicate all = null;
        for (Predicate p : predicates) {
            ExternalColumn c = tableColumns.get(p.column());
            if (c.partitionColumn()) {
                continue;
            }
            Optional<FilterPredicate> one = fileSchema.getFields().stream()
                    .filter(f -> f.getName().equalsIgnoreCase(c.name()) && f.isPrimitive())
                    .findFirst().flatMap(f -> translate(p, f.getName(), f.asPrimitiveType()));
            if (one.isPresent()) {
                all = all == null ? one.get() : FilterApi.and(all, one.get());
            }
        }
        return Optional.ofNullable(all);
    }

    private static Optional<FilterPredicate> translate(Predicate p, String name, PrimitiveType t) {
        LogicalTypeAnnotation l = t.getLogicalTypeAnnotation();
        Object v = p.value();
        switch (t.getPrimitiveTypeName()) {
            case INT32 -> {
                Integer i = null;
                if (l == null || l instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation il && il.isSigned()) {
                    if (v instanceof Integer x) {
                        i = x;
                    } else if (v instanceof Short x) {
                        i = (int) x;
                    }
                } else if (l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation && v instanceof LocalDate d) {
                    i = (int) d.toEpochDay();
                }
                if (i == null && v != null) {
                    return Optional.empty();
                }
                return Optional.of(compare(FilterApi.intColumn(name), p.op(), i));
            }
            case INT64 -> {
                Long x = null;
                if (l == null || l instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation il && il.isSigned()) {
                    if (v instanceof Long y) {
                        x = y;
                    } else if (v instanceof Integer y) {
                        x = (long) y;
                    }
                } else if (l instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts && v != null) {
                    LocalDateTime ldt = v instanceof LocalDateTime a ? a
                            : v instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime() : null;
                    if (ldt == null) {
                        return Optional.empty();
                    }
                    long seconds = ldt.toEpochSecond(ZoneOffset.UTC);
                    int nanos = ldt.getNano();
                    switch (ts.getUnit()) {
                        case MILLIS -> {
                            if (nanos % 1_000_000 != 0) {
                                return Optional.empty();
                            }
                            x = seconds * 1000 + nanos / 1_000_000;
                        }
                        case MICROS -> {
                            if (nanos % 1000 != 0) {
                                return Optional.empty();
                            }
                            x = seconds * 1_000_000 + nanos / 1000;
                        }
                        case NANOS -> x = seconds * 1_000_000_000 + nanos;
                    }
                }
                if (x == null && v != null) {
                    return Optional.empty();
                }
                return Optional.of(compare(FilterApi.longColumn(name), p.op(), x));
            }
            case BINARY -> {
                if (!(l instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) || v != null && !(v instanceof String)) {
                    return Optional.empty();
                }
                return Optional.of(compare(FilterApi.binaryColumn(name), p.op(), v == null ? null : Binary.fromString((String) v)));
            }
            case BOOLEAN -> {
                if (v != null && !(v instanceof Boolean) || p.op() != Predicate.Op.EQ && p.op() != Predicate.Op.NE
                        && v != null) {
                    return Optional.empty();
                }
                Operators.BooleanColumn col = FilterApi.booleanColumn(name);
                return Optional.of(p.op() == Predicate.Op.EQ || p.op() == Predicate.Op.IS_NULL
                        ? FilterApi.eq(col, (Boolean) v) : FilterApi.notEq(col, (Boolean) v));
            }
            case DOUBLE -> {
                if (v != null && !(v instanceof Double)) {
                    return Optional.empty();
                }
                return Optional.of(compare(FilterApi.doubleColumn(name), p.op(), (Double) v));
            }
            case FLOAT -> {
                if (v != null && !(v instanceof Float)) {
                    return Optional.empty();
                }
                return Optional.of(compare(FilterApi.floatColumn(name), p.op(), (Float) v));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static <T extends Comparable<T>, C extends Operators.Column<T> & Operators.SupportsLtGt> FilterPredicate
    compare(C column, Predicate.Op op, T value) {
        return switch (op) {
            case EQ, IS_NULL -> FilterApi.eq(column, value);
            case NE, IS_NOT_NULL -> FilterApi.notEq(column, value);
            case LT -> FilterApi.lt(column, value);
            case LE -> FilterApi.ltEq(column, value);
            case GT -> FilterApi.gt(column, value);
            case GE -> FilterApi.gtEq(column, value);
        };
    }
}
