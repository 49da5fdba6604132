package org.wwi.sample;

import java.util.SplittableRandom;

/** Random draws used by several generators. */
final class Draw {
    private Draw() {
    }

    /** An index drawn with probability proportional to {@code weights[index]}. */
    static int weighted(SplittableRandom random, int[] weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int x = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        throw new IllegalStateException("weights must be positive");
    }

    /** Day weights: weekends busier, every day jittered by up to ±10%. */
    static double[] dayWeights(WeblogSpec spec, SplittableRandom random) {
        double[] weights = new double[spec.days()];
        for (int i = 0; i < weights.length; i++) {
            int dayOfWeek = spec.startDate().plusDays(i).getDayOfWeek().getValue();
            double base = dayOfWeek >= 6 ? 1.25 : 1.0;
            weights[i] = base * (0.9 + 0.2 * random.nextDouble());
        }
        return weights;
    }
}
