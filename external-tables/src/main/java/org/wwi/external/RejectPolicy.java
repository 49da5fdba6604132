package org.wwi.external;

import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * PolyBase's reject options of an external table: how many rows that do not convert may be
 * rejected before a query or load fails.
 *
 * <ul>
 *   <li>{@code VALUE}: {@code value} is a whole number of rows (0 and up); the statement fails when
 *       more than {@code value} rows were rejected. {@code sampleValue} is empty.</li>
 *   <li>{@code PERCENTAGE}: {@code value} is 0–100; {@code sampleValue} (required, 1 and up) is
 *       the number of rows after which, and after every further such number of rows, the
 *       percentage of rejected rows is checked, as PolyBase does.</li>
 * </ul>
 *
 * @param type        VALUE or PERCENTAGE
 * @param value       the threshold
 * @param sampleValue rows per check for PERCENTAGE
 */
public record RejectPolicy(RejectType type, double value, OptionalLong sampleValue) {

    /** PolyBase's default: {@code REJECT_TYPE = VALUE, REJECT_VALUE = 0}, no row may be rejected. */
    public static final RejectPolicy DEFAULT = new RejectPolicy(RejectType.VALUE, 0, OptionalLong.empty());

    public enum RejectType { VALUE, PERCENTAGE }

    public RejectPolicy {
        requireNonNull(type, "type is null");
        requireNonNull(sampleValue, "sampleValue is null");
        if (Double.isNaN(value) || value < 0) {
            throw new IllegalArgumentException("REJECT_VALUE must be 0 or more, not " + value);
        }
        if (type == RejectType.VALUE) {
            if (value != Math.rint(value) || value > Long.MAX_VALUE) {
                throw new IllegalArgumentException("REJECT_VALUE must be a whole number of rows with REJECT_TYPE = "
                        + "VALUE, not " + value);
            }
            if (sampleValue.isPresent()) {
                throw new IllegalArgumentException("REJECT_SAMPLE_VALUE is only allowed with REJECT_TYPE = PERCENTAGE");
            }
        } else {
            if (value > 100) {
                throw new IllegalArgumentException("REJECT_VALUE must be 0 to 100 with REJECT_TYPE = PERCENTAGE, not "
                        + value);
            }
            if (sampleValue.isEmpty() || sampleValue.getAsLong() < 1) {
                throw new IllegalArgumentException("REJECT_TYPE = PERCENTAGE needs REJECT_SAMPLE_VALUE of 1 or more");
            }
        }
    }

    public static RejectPolicy value(long rows) {
        return new RejectPolicy(RejectType.VALUE, rows, OptionalLong.empty());
    }

    public static RejectPolicy percentage(double percent, long sampleRows) {
        return new RejectPolicy(RejectType.PERCENTAGE, percent, OptionalLong.of(sampleRows));
    }

    /**
     * Whether {@code rejectedRows} out of {@code readRows} rows read so far (rejected ones
     * included) break the threshold. VALUE: more than {@code value} rejected. PERCENTAGE: checked
     * only when {@code readRows} is a multiple of the sample value, or when {@code endOfInput};
     * then more than {@code value} percent rejected.
     */
    public boolean exceeded(long rejectedRows, long readRows, boolean endOfInput) {
        if (type == RejectType.VALUE) {
            return rejectedRows > value;
        }
        long sample = sampleValue.getAsLong();
        if (readRows == 0 || (!endOfInput && readRows % sample != 0)) {
            return false;
        }
        return rejectedRows * 100.0 / readRows > value;
    }

    /** As written in DDL: {@code REJECT_TYPE = VALUE, REJECT_VALUE = 0}. */
    public String describe() {
        if (type == RejectType.VALUE) {
            return "REJECT_TYPE = VALUE, REJECT_VALUE = " + (long) value;
        }
        String v = value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
        return "REJECT_TYPE = PERCENTAGE, REJECT_VALUE = " + v + ", REJECT_SAMPLE_VALUE = " + sampleValue.getAsLong();
    }
}
