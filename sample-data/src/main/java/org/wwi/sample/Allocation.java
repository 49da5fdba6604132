package org.wwi.sample;

import java.util.Arrays;

/** Splits a total into buckets in proportion to weights, summing exactly to the total. */
final class Allocation {
    private Allocation() {
    }

    /** Largest-remainder split of {@code total} by {@code weights} (all positive). */
    static long[] spread(long total, double[] weights) {
        double sum = 0;
        for (double weight : weights) {
            sum += weight;
        }
        long[] counts = new long[weights.length];
        double[] remainders = new double[weights.length];
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            double quota = total * (weights[i] / sum);
            counts[i] = (long) Math.floor(quota);
            remainders[i] = quota - counts[i];
            assigned += counts[i];
        }
        Integer[] order = new Integer[weights.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> remainders[a] != remainders[b]
                ? Double.compare(remainders[b], remainders[a]) : Integer.compare(a, b));
        for (int i = 0; assigned < total; i = (i + 1) % order.length) {
            counts[order[i]]++;
            assigned++;
        }
        return counts;
    }

    /** Splits {@code total} into {@code parts} near-equal parts, larger ones first. */
    static long[] even(long total, int parts) {
        long[] counts = new long[parts];
        for (int i = 0; i < parts; i++) {
            counts[i] = total / parts + (i < total % parts ? 1 : 0);
        }
        return counts;
    }
}
