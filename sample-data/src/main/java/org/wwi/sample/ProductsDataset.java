package org.wwi.sample;

import org.apache.parquet.io.api.Binary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/** The {@code products} dataset: one row per product of the catalog. */
final class ProductsDataset extends SparkWriteSupport<Product> {
    static final SparkType COST_PRICE = SparkType.decimal(20, 4);

    ProductsDataset() {
        super(SparkSchema.of(
                new SparkColumn("ProductId", SparkType.INTEGER),
                new SparkColumn("ProductName", SparkType.STRING),
                new SparkColumn("Category", SparkType.STRING),
                new SparkColumn("Price", SparkType.decimal(10, 2)),
                new SparkColumn("DiscountRate", SparkType.decimal(4, 3)),
                new SparkColumn("CostPrice", COST_PRICE),
                new SparkColumn("IsActive", SparkType.BOOLEAN),
                new SparkColumn("Introduced", SparkType.DATE)));
    }

    static long write(SparkParquet parquet, Path folder, UUID job, ProductCatalog catalog) throws IOException {
        return parquet.writeDataset(folder, job, new ProductsDataset(), sink -> {
            for (int id = 1; id <= catalog.size(); id++) {
                sink.accept(catalog.product(id));
            }
        });
    }

    @Override
    void writeColumns(Product product) {
        int32(0, product.id());
        string(1, Utf8Text.of(product.name()));
        string(2, Utf8Text.of(product.category()));
        int64(3, product.priceCents());
        int32(4, product.discountPermille());
        binary(5, Binary.fromConstantByteArray(twosComplement(product.costPriceUnscaled(), COST_PRICE.length())));
        bool(6, product.active());
        int32(7, (int) product.introduced().toEpochDay());
    }

    /** Big-endian two's complement of {@code unscaled} in exactly {@code length} bytes, as Spark writes. */
    static byte[] twosComplement(long unscaled, int length) {
        byte[] bytes = new byte[length];
        long value = unscaled;
        for (int i = length - 1; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>= 8;
        }
        return bytes;
    }
}
