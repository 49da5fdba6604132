package org.wwi.external;

import org.wwi.platform.Progress;
import org.wwi.sample.WeblogGenerator;
import org.wwi.sample.WeblogSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.wwi.external.ExternalType.Kind.BIGINT;
import static org.wwi.external.ExternalType.Kind.BIT;
import static org.wwi.external.ExternalType.Kind.DATE;
import static org.wwi.external.ExternalType.Kind.DATETIME2;
import static org.wwi.external.ExternalType.Kind.INT;
import static org.wwi.external.ExternalType.Kind.REAL;

/**
 * The sample lake of the sample-data module, generated once per test JVM (10,000 events over 5
 * days), and external-table definitions over it, as the WWI DDL declares them.
 */
public final class TestingLake {
    public static final long ROWS = 10_000;
    public static final int DAYS = 5;
    public static final LocalDate START = LocalDate.of(2026, 8, 1);
    private static Path lake;

    private TestingLake() {
    }

    public static synchronized Path lake() {
        if (lake == null) {
            try {
                Path dir = Files.createTempDirectory("wwi-lake");
                WeblogGenerator.generate(WeblogSpec.defaults(dir).withRows(ROWS).withDays(DAYS).withStartDate(START),
                        Progress.none());
                lake = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lake;
    }

    /**
     * Writes two broken copies of the lake's first web-log part file under {@code dir}:
     * {@code corrupt/TransactionDay=2026-08-01/part-0.parquet} (bytes scrambled between the magic
     * numbers) and {@code truncated/…/part-0.parquet} (the first half of the file).
     */
    public static void writeBrokenParquet(Path dir) throws IOException {
        Path part;
        try (var files = Files.list(lake().resolve("weblogs").resolve("TransactionDay=" + START))) {
            part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        byte[] garbage = bytes.clone();
        for (int i = 4; i < garbage.length - 8; i += 7) {
            garbage[i] ^= 0x5A;
        }
        Files.write(Files.createDirectories(dir.resolve("corrupt/TransactionDay=2026-08-01")).resolve("part-0.parquet"),
                garbage);
        Files.write(Files.createDirectories(dir.resolve("truncated/TransactionDay=2026-08-01")).resolve("part-0.parquet"),
                java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    public static DataSourceDef source(Path root) {
        return new DataSourceDef("lake", "HADOOP", URI.create(root.toUri().toString()), Optional.empty());
    }

    public static FileFormatDef parquet() {
        return new FileFormatDef("parquet", FileFormatDef.FormatType.PARQUET, DelimitedOptions.DEFAULT,
                Optional.of("org.apache.hadoop.io.compress.SnappyCodec"));
    }

    public static FileFormatDef pipeText() {
        return new FileFormatDef("pipe_text", FileFormatDef.FormatType.DELIMITEDTEXT,
                new DelimitedOptions("|", Optional.empty(), 2, Optional.of("M/d/yyyy h:mm:ss tt"), false,
                        java.nio.charset.StandardCharsets.UTF_8), Optional.empty());
    }

    public static ExternalColumn col(String name, ExternalType type) {
        return new ExternalColumn(name, type, true, false);
    }

    public static ExternalTableDef weblogs(String location, RejectPolicy reject) {
        return new ExternalTableDef("ext", "weblogs", List.of(
                col("UserId", ExternalType.of(INT)),
                col("SessionId", ExternalType.nvarchar(50)),
                col("ProductId", ExternalType.of(INT)),
                col("Quantity", ExternalType.of(INT)),
                col("Price", ExternalType.decimal(10, 2)),
                col("TotalPrice", ExternalType.decimal(12, 2)),
                col("ReferralURL", ExternalType.nvarchar(ExternalType.MAX)),
                col("PageStopDuration", ExternalType.of(INT)),
                col("Action", ExternalType.nvarchar(20)),
                col("Channel", ExternalType.nvarchar(20)),
                col("TransactionDate", ExternalType.datetime2(6)),
                new ExternalColumn("TransactionDay", ExternalType.of(DATE), true, true)),
                location, "lake", "parquet", reject, Map.of(ExternalTableDef.PARTITION_COLUMNS, "TransactionDay"));
    }

    public static ExternalTableDef products() {
        return new ExternalTableDef("ext", "products", List.of(
                col("ProductId", ExternalType.of(INT)),
                col("ProductName", ExternalType.nvarchar(200)),
                col("Category", ExternalType.nvarchar(50)),
                col("Price", ExternalType.decimal(10, 2)),
                col("DiscountRate", ExternalType.decimal(4, 3)),
                col("CostPrice", ExternalType.decimal(20, 4)),
                col("IsActive", ExternalType.of(BIT)),
                col("Introduced", ExternalType.of(DATE))),
                "/products/", "lake", "parquet", RejectPolicy.DEFAULT, Map.of());
    }

    public static ExternalTableDef rawWeblogs(RejectPolicy reject) {
        return new ExternalTableDef("ext", "weblogs_raw", List.of(
                col("UserId", ExternalType.of(INT)),
                col("SessionId", ExternalType.nvarchar(50)),
                col("ProductId", ExternalType.of(INT)),
                col("Quantity", ExternalType.of(INT)),
                col("Price", ExternalType.decimal(10, 2)),
                col("TotalPrice", ExternalType.decimal(12, 2)),
                col("ReferralURL", ExternalType.nvarchar(ExternalType.MAX)),
                col("PageStopDuration", ExternalType.of(INT)),
                col("Action", ExternalType.nvarchar(20)),
                col("TransactionDate", ExternalType.datetime2(0))),
                "/raw/weblog.txt", "lake", "pipe_text", reject, Map.of());
    }

    public static ExternalTableDef recommendations() {
        return new ExternalTableDef("ext", "recommendations", List.of(
                col("UserId", ExternalType.of(INT)),
                col("ProductId", ExternalType.of(INT)),
                col("prediction", ExternalType.of(REAL))),
                "/recommendations/", "lake", "parquet", RejectPolicy.DEFAULT, Map.of());
    }

    public static ExternalTableDef storeSales(ExternalType saleIdType) {
        return new ExternalTableDef("ext", "store_sales", List.of(
                col("SaleId", saleIdType),
                col("StoreId", ExternalType.of(INT)),
                col("UserId", ExternalType.of(INT)),
                col("ProductId", ExternalType.of(INT)),
                col("Quantity", ExternalType.of(INT)),
                col("UnitPrice", ExternalType.decimal(10, 2)),
                col("SaleDate", ExternalType.of(DATE)),
                col("SaleTime", ExternalType.of(DATETIME2))),
                "/store_sales/", "lake", "parquet", RejectPolicy.DEFAULT, Map.of());
    }

    public static ExternalType bigint() {
        return ExternalType.of(BIGINT);
    }

    /** A catalog over the sample lake with all the tables above. */
    public static TestingCatalog catalog() {
        Path root = lake();
        return new TestingCatalog().add(source(root)).add(parquet()).add(pipeText())
                .add(weblogs("/weblogs/", RejectPolicy.DEFAULT))
                .add(products())
                .add(rawWeblogs(RejectPolicy.percentage(5, 1000)))
                .add(recommendations())
                .add(storeSales(bigint()));
    }
}
