package org.wwi.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The {@code recommendations} dataset, shaped like Spark ALS's {@code recommendForAllUsers}
 * flattened: for every user, {@value #PER_USER} distinct products (fewer when there are fewer
 * products) with a predicted rating between 0 and 5, highest first.
 */
final class RecommendationsDataset extends SparkWriteSupport<RecommendationsDataset.Recommendation> {
    static final int PER_USER = 20;

    record Recommendation(int userId, int productId, float prediction) {
    }

    RecommendationsDataset() {
        super(SparkSchema.of(
                new SparkColumn("UserId", SparkType.INTEGER),
                new SparkColumn("ProductId", SparkType.INTEGER),
                new SparkColumn("prediction", SparkType.FLOAT)));
    }

    static long write(SparkParquet parquet, Path folder, UUID job, long seed, UserDirectory users,
            ProductCatalog catalog) throws IOException {
        int perUser = Math.min(PER_USER, catalog.size());
        return parquet.writeDataset(folder, job, new RecommendationsDataset(), sink -> {
            int[] products = new int[perUser];
            for (int userId = 1; userId <= users.size(); userId++) {
                SplittableRandom random = Seeds.random(seed, "recommendations", userId);
                pickDistinct(random, catalog, products);
                double prediction = 4.0 + 0.99 * random.nextDouble();
                for (int product : products) {
                    sink.accept(new Recommendation(userId, product, (float) prediction));
                    prediction -= 0.02 + 0.12 * random.nextDouble();
                }
            }
        });
    }

    /** Fills {@code products} with distinct ids, half popular picks, half uniform. */
    private static void pickDistinct(SplittableRandom random, ProductCatalog catalog, int[] products) {
        int n = 0;
        while (n < products.length) {
            int candidate = random.nextBoolean() ? catalog.pick(random) : catalog.pickUniform(random);
            boolean seen = false;
            for (int i = 0; i < n && !seen; i++) {
                seen = products[i] == candidate;
            }
            if (!seen) {
                products[n++] = candidate;
            }
        }
    }

    @Override
    void writeColumns(Recommendation recommendation) {
        int32(0, recommendation.userId());
        int32(1, recommendation.productId());
        float32(2, recommendation.prediction());
    }
}
