package org.wwi.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The {@code store_sales} dataset: WWI's retail-store channel over the same days, about one
 * sale per ten web events. Sales run from 08:00 to 22:00 UTC, in SaleId order; 40% are by
 * walk-in customers (UserId null).
 */
final class StoreSalesDataset extends SparkWriteSupport<StoreSalesDataset.StoreSale> {
    static final int STORES = 20;
    private static final int OPEN_SECOND = 8 * 3600;
    private static final int OPEN_SECONDS = 14 * 3600;
    private static final int[] QUANTITY_WEIGHTS = {55, 22, 10, 8, 5};

    /** A sale; {@code userId} null for a walk-in customer. */
    record StoreSale(long saleId, int storeId, Integer userId, int productId, int quantity, long unitPriceCents,
            long epochSecond) {
    }

    StoreSalesDataset() {
        super(SparkSchema.of(
                new SparkColumn("SaleId", SparkType.LONG),
                new SparkColumn("StoreId", SparkType.INTEGER),
                new SparkColumn("UserId", SparkType.INTEGER),
                new SparkColumn("ProductId", SparkType.INTEGER),
                new SparkColumn("Quantity", SparkType.INTEGER),
                new SparkColumn("UnitPrice", SparkType.decimal(10, 2)),
                new SparkColumn("SaleDate", SparkType.DATE),
                new SparkColumn("SaleTime", SparkType.TIMESTAMP_MICROS)));
    }

    static long rowsFor(WeblogSpec spec) {
        return Math.max(1, spec.rows() / 10);
    }

    static long write(SparkParquet parquet, Path folder, UUID job, WeblogSpec spec, UserDirectory users,
            ProductCatalog catalog) throws IOException {
        long seed = spec.seed();
        long[] perDay = Allocation.spread(rowsFor(spec), Draw.dayWeights(spec, Seeds.random(seed, "store-days", 0)));
        return parquet.writeDataset(folder, job, new StoreSalesDataset(), sink -> {
            long saleId = 1;
            for (int day = 0; day < perDay.length; day++) {
                SplittableRandom random = Seeds.random(seed, "store-sales", day);
                LocalDate date = spec.startDate().plusDays(day);
                long dayStart = date.toEpochDay() * WeblogEventSource.SECONDS_PER_DAY;
                double x = 0;
                for (long k = 0; k < perDay[day]; k++) {
                    // the next smallest of the remaining uniform sale times: sorted without sorting
                    x = 1 - (1 - x) * StrictMath.pow(1 - random.nextDouble(), 1.0 / (perDay[day] - k));
                    int second = OPEN_SECOND + (int) Math.min(OPEN_SECONDS - 1, (long) (x * OPEN_SECONDS));
                    sink.accept(sale(saleId++, random, users, catalog, dayStart + second));
                }
            }
        });
    }

    private static StoreSale sale(long saleId, SplittableRandom random, UserDirectory users, ProductCatalog catalog,
            long epochSecond) {
        int storeId = 1 + random.nextInt(STORES);
        Integer userId = random.nextInt(100) < 40 ? null : users.pick(random);
        int productId = catalog.pick(random);
        int quantity = 1 + Draw.weighted(random, QUANTITY_WEIGHTS);
        return new StoreSale(saleId, storeId, userId, productId, quantity, catalog.priceCents(productId), epochSecond);
    }

    @Override
    void writeColumns(StoreSale sale) {
        int64(0, sale.saleId());
        int32(1, sale.storeId());
        if (sale.userId() != null) {
            int32(2, sale.userId());
        }
        int32(3, sale.productId());
        int32(4, sale.quantity());
        int64(5, sale.unitPriceCents());
        int32(6, (int) Math.floorDiv(sale.epochSecond(), WeblogEventSource.SECONDS_PER_DAY));
        int64(7, sale.epochSecond() * 1_000_000L);
    }
}
