package org.wwi.sample;

import java.util.SplittableRandom;

/**
 * Picks ids 1..size with a popularity skew (low ranks are picked far more often), where the
 * rank-to-id mapping is a seeded permutation, so popular ids are spread over the id range.
 * Uses O(1) memory, whatever the size.
 */
final class SkewedPicker {
    private final int size;
    private final int skew;
    private final long multiplier;
    private final long offset;

    /**
     * @param skew 1 is uniform; 2 gives the top 10% of ids about 32% of the picks, 3 about 46%
     */
    SkewedPicker(int size, int skew, SplittableRandom random) {
        if (size < 1 || skew < 1) {
            throw new IllegalArgumentException("size and skew must be positive: " + size + ", " + skew);
        }
        this.size = size;
        this.skew = skew;
        this.multiplier = coprimeMultiplier(size, random);
        this.offset = random.nextLong(size);
    }

    int pick(SplittableRandom random) {
        double u = random.nextDouble();
        double x = u;
        for (int i = 1; i < skew; i++) {
            x *= u;
        }
        return idOfRank((int) (x * size));
    }

    int pickUniform(SplittableRandom random) {
        return 1 + random.nextInt(size);
    }

    /** The id of popularity rank {@code rank} (0 is the most popular). */
    int idOfRank(int rank) {
        return (int) ((rank * multiplier + offset) % size) + 1;
    }

    private static long coprimeMultiplier(int size, SplittableRandom random) {
        if (size == 1) {
            return 1;
        }
        while (true) {
            long candidate = 1 + random.nextLong(size - 1L);
            if (gcd(candidate, size) == 1) {
                return candidate;
            }
        }
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
