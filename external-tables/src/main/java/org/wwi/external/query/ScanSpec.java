package org.wwi.external.query;

import org.wwi.external.read.Predicate;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What an external-table scan was asked to do after the planner pushed work into it.
 *
 * @param columns    table column indexes to read, in output order
 * @param predicates pushed conditions: on partition columns they prune folders (and are exact);
 *                   on file columns they skip row groups and pages (the rows are filtered again above)
 * @param countCalls when positive, the scan answers {@code count(*)} (this many times in one row) from
 *                   Parquet footers instead of reading rows
 */
record ScanSpec(int[] columns, List<Predicate> predicates, int countCalls) {

    ScanSpec {
        requireNonNull(columns, "columns is null");
        predicates = List.copyOf(requireNonNull(predicates, "predicates is null"));
    }

    static ScanSpec all(int width) {
        int[] c = new int[width];
        Arrays.setAll(c, i -> i);
        return new ScanSpec(c, List.of(), 0);
    }

    boolean counting() {
        return countCalls > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanSpec s && Arrays.equals(columns, s.columns) && predicates.equals(s.predicates)
                && countCalls == s.countCalls;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(columns) * 31 + predicates.hashCode() * 7 + countCalls;
    }

    @Override
    public String toString() {
        return Arrays.stream(columns).mapToObj(Integer::toString).collect(Collectors.joining(",")) + "|" + predicates
                + "|" + countCalls;
    }
}
