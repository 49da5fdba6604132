package org.wwi.external.read;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalType;
import org.wwi.external.RejectPolicy;
import org.wwi.external.ResolvedTable;
import org.wwi.external.TestingCatalog;
import org.wwi.external.TestingLake;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Listing;
import org.wwi.external.storage.Storage;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTableReader {

    private static List<Object[]> readAll(ResolvedTable t, int[] columns, List<Predicate> predicates, Rejects rejects) {
        List<Object[]> rows = new ArrayList<>();
        try (Storage storage = Storage.open(t.source(), java.util.Optional.empty(), Map.of())) {
            TableReader reader = new TableReader(t, storage);
            for (FileRef f : reader.prune(reader.list().files(), predicates)) {
                try (FileCursor c = reader.open(f, columns, predicates, rejects)) {
                    while (c.next()) {
                        rows.add(c.row());
                    }
                }
            }
        }
        rejects.finish();
        return rows;
    }

    private static int[] all(ResolvedTable t) {
        return IntStream.range(0, t.table().columns().size()).toArray();
    }

    @Test
    void readsSparkFolderWithPartitionsAndFooterCounts() {
        TestingCatalog catalog = TestingLake.catalog();
        ResolvedTable t = catalog.resolved("ext", "weblogs");
        List<Object[]> rows = readAll(t, all(t), List.of(), new Rejects("ext.weblogs", RejectPolicy.DEFAULT));
        assertThat(rows).hasSize((int) TestingLake.ROWS);
        Object[] first = rows.get(0);
        assertThat(first[0]).isInstanceOf(Integer.class);
        assertThat(first[4]).isInstanceOf(BigDecimal.class);
        assertThat(((BigDecimal) first[4]).scale()).isEqualTo(2);
        assertThat(first[10]).isInstanceOf(LocalDateTime.class);
        assertThat(first[11]).isEqualTo(TestingLake.START);
        assertThat(((LocalDateTime) first[10]).toLocalDate()).isEqualTo(first[11]);
        try (Storage storage = Storage.open(t.source(), java.util.Optional.empty(), Map.of())) {
            TableReader reader = new TableReader(t, storage);
            Listing listing = reader.list();
            assertThat(listing.files()).allSatisfy(f -> assertThat(f.name()).endsWith(".snappy.parquet"));
            long count = listing.files().stream()
                    .mapToLong(f -> reader.countRows(f, new Rejects("x", RejectPolicy.DEFAULT))).sum();
            assertThat(count).isEqualTo(TestingLake.ROWS);
            assertThat(reader.stats().footerOnlyFiles.sum()).isEqualTo(listing.files().size());
        }
    }

    @Test
    void prunesPartitionsAndRowGroups() {
        ResolvedTable t = TestingLake.catalog().resolved("ext", "weblogs");
        LocalDate day = TestingLake.START.plusDays(2);
        List<Object[]> rows = readAll(t, new int[] {0, 11}, List.of(new Predicate(11, Predicate.Op.EQ, day)),
                new Rejects("ext.weblogs", RejectPolicy.DEFAULT));
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r[1]).isEqualTo(day));
        // a UserId beyond every row group's max: row groups skipped from statistics
        try (Storage storage = Storage.open(t.source(), java.util.Optional.empty(), Map.of())) {
            TableReader reader = new TableReader(t, storage);
            List<Predicate> p = List.of(new Predicate(0, Predicate.Op.GT, 1_000_000));
            int n = 0;
            for (FileRef f : reader.list().files()) {
                try (FileCursor c = reader.open(f, new int[] {0}, p, new Rejects("x", RejectPolicy.DEFAULT))) {
                    while (c.next()) {
                        n++;
                    }
                }
            }
            assertThat(n).isZero();
            assertThat(reader.stats().rowGroupsSkipped.sum()).isEqualTo(reader.stats().rowGroups.sum()).isPositive();
        }
    }

    @Test
    void readsUnicodeDecimalsDatesBooleans() {
        ResolvedTable t = TestingLake.catalog().resolved("ext", "products");
        List<Object[]> rows = readAll(t, all(t), List.of(), new Rejects("ext.products", RejectPolicy.DEFAULT));
        assertThat(rows).hasSize(500);
        assertThat(rows).anySatisfy(r -> assertThat(r[1]).isEqualTo("Rocket Night Light 🚀"));
        assertThat(rows).allSatisfy(r -> {
            assertThat(((BigDecimal) r[5]).scale()).isEqualTo(4);
            assertThat(r[6]).isInstanceOf(Boolean.class);
            assertThat(r[7]).isInstanceOf(LocalDate.class);
        });
    }

    @Test
    void narrowerDeclaredTypeIsAnError() {
        TestingCatalog catalog = TestingLake.catalog().add(TestingLake.storeSales(ExternalType.of(ExternalType.Kind.INT)));
        ResolvedTable t = catalog.resolved("ext", "store_sales");
        assertThatThrownBy(() -> readAll(t, all(t), List.of(), new Rejects("ext.store_sales", RejectPolicy.DEFAULT)))
                .isInstanceOf(ExternalException.class)
                .hasMessageContaining("column SaleId")
                .hasMessageContaining("part-00000")
                .hasMessageContaining("INT64")
                .hasMessageContaining("BIGINT")
                .hasMessageContaining("declared INT")
                .extracting(e -> ((ExternalException) e).code()).isEqualTo(ExternalErrorCode.TYPE_MISMATCH);
    }

    @Test
    void dirtyTextRowsAreRejectedWithFileRowColumnAndReason() {
        ResolvedTable t = TestingLake.catalog().resolved("ext", "weblogs_raw");
        Rejects rejects = new Rejects("ext.weblogs_raw", RejectPolicy.value(1_000_000));
        List<Object[]> rows = readAll(t, all(t), List.of(), rejects);
        assertThat(rejects.rejected()).isPositive();
        assertThat(rows.size() + rejects.rejected()).isEqualTo(TestingLake.ROWS);
        Reject r = rejects.kept().get(0);
        assertThat(r.file()).endsWith("weblog.txt");
        assertThat(r.row()).isGreaterThan(1);
        assertThat(r.column()).isEqualTo("TransactionDate");
        assertThat(r.reason()).contains("DATE_FORMAT 'M/d/yyyy h:mm:ss tt'");
        assertThat(rows.get(0)[9]).isInstanceOf(LocalDateTime.class);
    }

    @Test
    void rejectThresholdAbortsNamingTheThreshold() {
        ResolvedTable t = TestingLake.catalog().resolved("ext", "weblogs_raw");
        assertThatThrownBy(() -> readAll(t, all(t), List.of(), new Rejects("ext.weblogs_raw", RejectPolicy.value(3))))
                .isInstanceOf(ExternalException.class)
                .hasMessageContaining("REJECT_VALUE = 3")
                .hasMessageContaining("TransactionDate");
    }

    @Test
    void corruptTruncatedEmptyAndMissing(@TempDir Path dir) throws IOException {
        TestingLake.writeBrokenParquet(dir);
        Files.createDirectories(dir.resolve("empty"));
        TestingCatalog catalog = new TestingCatalog().add(TestingLake.source(dir)).add(TestingLake.parquet());
        for (String name : List.of("corrupt", "truncated")) {
            catalog.add(TestingLake.weblogs("/" + name + "/", RejectPolicy.DEFAULT));
            ResolvedTable t = catalog.resolved("ext", "weblogs");
            assertThatThrownBy(() -> readAll(t, all(t), List.of(), new Rejects("ext.weblogs", RejectPolicy.DEFAULT)))
                    .isInstanceOf(ExternalException.class)
                    .hasMessageContaining(name + "/TransactionDay=2026-08-01/part-0.parquet")
                    .extracting(e -> ((ExternalException) e).code()).isEqualTo(ExternalErrorCode.FILE_CORRUPT);
        }
        // count(*) from footers finds the same files bad, naming them
        Path tiny = Files.createDirectories(dir.resolve("tiny/TransactionDay=2026-08-01"));
        Files.write(tiny.resolve("part-0.parquet"), new byte[] {'P', 'A', 'R', '1', 0});
        for (String name : List.of("corrupt", "truncated", "tiny")) {
            catalog.add(TestingLake.weblogs("/" + name + "/", RejectPolicy.DEFAULT));
            ResolvedTable t = catalog.resolved("ext", "weblogs");
            try (Storage storage = Storage.open(t.source(), java.util.Optional.empty(), Map.of())) {
                TableReader reader = new TableReader(t, storage);
                List<FileRef> files = reader.list().files();
                assertThatThrownBy(() -> reader.countRows(files, new Rejects("ext.weblogs", RejectPolicy.DEFAULT)))
                        .isInstanceOf(ExternalException.class)
                        .hasMessageContaining(name + "/TransactionDay=2026-08-01/part-0.parquet")
                        .extracting(e -> ((ExternalException) e).code()).isEqualTo(ExternalErrorCode.FILE_CORRUPT);
            }
        }
        catalog.add(TestingLake.weblogs("/empty/", RejectPolicy.DEFAULT));
        ResolvedTable empty = catalog.resolved("ext", "weblogs");
        assertThat(readAll(empty, all(empty), List.of(), new Rejects("ext.weblogs", RejectPolicy.DEFAULT))).isEmpty();
        catalog.add(TestingLake.weblogs("/missing/", RejectPolicy.DEFAULT));
        ResolvedTable missing = catalog.resolved("ext", "weblogs");
        assertThatThrownBy(() -> readAll(missing, all(missing), List.of(), new Rejects("x", RejectPolicy.DEFAULT)))
                .isInstanceOf(ExternalException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining("does not exist")
                .extracting(e -> ((ExternalException) e).code()).isEqualTo(ExternalErrorCode.LOCATION_NOT_FOUND);
    }
}
