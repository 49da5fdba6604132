package org.wwi.external.read;

import static java.util.Objects.requireNonNull;

/**
 * A simple condition pushed down to a scan: {@code column op value}. {@code column} indexes the
 * table's columns (declaration order); {@code value} is of the column type's
 * {@link org.wwi.external.ExternalType#javaClass()} (null for IS NULL / IS NOT NULL).
 */
public record Predicate(int column, Op op, Object value) {

    public enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="), IS_NULL("IS NULL"), IS_NOT_NULL("IS NOT NULL");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** The operator with its operands swapped ({@code 5 < x} is {@code x > 5}). */
        public Op flip() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }
    }

    public Predicate {
        requireNonNull(op, "op is null");
        if ((op == Op.IS_NULL || op == Op.IS_NOT_NULL) != (value == null)) {
            throw new IllegalArgumentException(op + " with value " + value);
        }
    }

    /** Whether a value of the column satisfies this predicate (SQL semantics: NULL compares to nothing). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public boolean test(Object actual) {
        if (op == Op.IS_NULL) {
            return actual == null;
        }
        if (op == Op.IS_NOT_NULL) {
            return actual != null;
        }
        if (actual == null) {
            return false;
        }
        int c = ((Comparable) actual).compareTo(value);
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            default -> throw new IllegalStateException(op.name());
        };
    }
}
