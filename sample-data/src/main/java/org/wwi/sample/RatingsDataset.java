package org.wwi.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The {@code ratings} dataset: per (user, product) seen in the web logs, the highest action
 * points (Browsed 30, Add To Cart 70, Purchased 100), ordered by UserId, ProductId.
 */
final class RatingsDataset extends SparkWriteSupport<RatingsDataset.Rating> {

    record Rating(int userId, int productId, int actionPoints) {
    }

    RatingsDataset() {
        super(SparkSchema.of(
                new SparkColumn("UserId", SparkType.INTEGER),
                new SparkColumn("ProductId", SparkType.INTEGER),
                new SparkColumn("ActionPoints", SparkType.INTEGER)));
    }

    static long write(SparkParquet parquet, Path folder, UUID job, RatingsAccumulator ratings) throws IOException {
        long[] keys = ratings.sortedKeys();
        return parquet.writeDataset(folder, job, new RatingsDataset(), sink -> {
            for (long key : keys) {
                sink.accept(new Rating(RatingsAccumulator.userId(key), RatingsAccumulator.productId(key),
                        ratings.points(key)));
            }
        });
    }

    @Override
    void writeColumns(Rating rating) {
        int32(0, rating.userId());
        int32(1, rating.productId());
        int32(2, rating.actionPoints());
    }
}
