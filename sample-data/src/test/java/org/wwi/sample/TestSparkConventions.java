package org.wwi.sample;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The output looks like what Spark jobs leave in storage. */
class TestSparkConventions {
    static final String PART_NAME = "part-\\d{5}-[0-9a-f-]{36}-c000\\.snappy\\.parquet";
    static final List<String> DATASETS = List.of("products", "users", "ratings", "recommendations", "store_sales");

    @TempDir
    static Path folder;
    static WeblogSpec spec;
    static GenerationResult result;

    @BeforeAll
    static void generate() {
        spec = new WeblogSpec(folder.resolve("lake"), 20_000, 11, LocalDate.of(2026, 12, 30), 4, 500, 100);
        result = TestingSampleData.generate(spec);
    }

    @Test
    void weblogsArePartitionedByTransactionDay() throws Exception {
        Path weblogs = spec.out().resolve("weblogs");
        try (Stream<Path> days = Files.list(weblogs)) {
            assertThat(days.map(day -> day.getFileName().toString()).sorted()).containsExactly(
                    "TransactionDay=2026-12-30", "TransactionDay=2026-12-31", "TransactionDay=2027-01-01",
                    "TransactionDay=2027-01-02");
        }
        long total = 0;
        for (int i = 0; i < spec.days(); i++) {
            Path day = weblogs.resolve("TransactionDay=" + spec.startDate().plusDays(i));
            assertSparkFolder(day);
            long rows = TestingSampleData.readDataset(day).size();
            assertThat(rows).isBetween(20_000L / 4 * 8 / 10, 20_000L / 4 * 12 / 10);
            total += rows;
        }
        assertThat(total).isEqualTo(spec.rows());
        assertSparkFolder(spec.out().resolve("weblogs_int96/TransactionDay=2026-12-30"));
        assertSparkFolder(spec.out().resolve("weblogs_int96/TransactionDay=2026-12-31"));
        assertThat(spec.out().resolve("weblogs_int96/TransactionDay=2027-01-01")).doesNotExist();
    }

    @Test
    void unpartitionedDatasetsHaveOnePartAndSuccess() {
        for (String dataset : DATASETS) {
            Path folder = spec.out().resolve(dataset);
            assertSparkFolder(folder);
            assertThat(TestingSampleData.partFiles(folder)).as(dataset).singleElement()
                    .satisfies(file -> assertThat(file.getFileName().toString()).startsWith("part-00000-"));
        }
    }

    @Test
    void partFileNamesFollowSpark() {
        assertThat(TestingSampleData.partFiles(spec.out())).isNotEmpty()
                .allSatisfy(file -> assertThat(file.getFileName().toString()).matches(PART_NAME));
    }

    @Test
    void aboutOnePercentOfRawDatesAreDirty() {
        List<String> lines = TestingSampleData.lines(spec.out().resolve("raw/weblog.txt"));
        long dirty = lines.stream().skip(1).map(line -> line.substring(line.lastIndexOf('|') + 1))
                .filter(TestSparkConventions::unparseable).count();
        assertThat(dirty).isEqualTo(result.dirtyRawRows()).isBetween(20_000L * 6 / 1000, 20_000L * 14 / 1000);
        assertThat(lines).anyMatch(line -> line.endsWith("|"));
        assertThat(lines).anyMatch(line -> line.endsWith("|not a date"));
    }

    @Test
    void rawDatesUseUsTwelveHourFormat() {
        List<String> lines = TestingSampleData.lines(spec.out().resolve("raw/weblog.txt"));
        assertThat(lines.subList(1, 200)).anyMatch(line -> line.matches(".*\\|12/30/2026 \\d{1,2}:\\d\\d:\\d\\d (AM|PM)"));
        assertThat(lines.subList(1, lines.size())).anyMatch(line -> line.endsWith("PM"))
                .anyMatch(line -> line.endsWith("AM"));
    }

    @Test
    void daysWithoutEventsStillGetAnEmptyPartAndSuccess(@TempDir Path other) {
        WeblogSpec sparse = new WeblogSpec(other.resolve("lake"), 3, 5, LocalDate.of(2026, 8, 1), 5, 10, 10);
        TestingSampleData.generate(sparse);
        for (int i = 0; i < 5; i++) {
            assertSparkFolder(sparse.out().resolve("weblogs/TransactionDay=" + sparse.startDate().plusDays(i)));
        }
        assertThat(TestingSampleData.readDataset(sparse.out().resolve("weblogs"))).hasSize(3);
        assertThat(TestingSampleData.lines(sparse.out().resolve("raw/weblog.txt"))).hasSize(4);
        assertThat(TestingSampleData.readDataset(sparse.out().resolve("store_sales"))).hasSize(1);
    }

    private static boolean unparseable(String value) {
        try {
            LocalDateTime.parse(value, RawDates.FORMAT);
            return false;
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    private static void assertSparkFolder(Path folder) {
        assertThat(folder.resolve("_SUCCESS")).as(folder.toString()).isEmptyFile();
        assertThat(folder.resolve("._SUCCESS.crc")).as(folder.toString()).exists();
        for (Path part : TestingSampleData.partFiles(folder)) {
            assertThat(part.resolveSibling("." + part.getFileName() + ".crc")).exists().isNotEmptyFile();
        }
        assertThat(TestingSampleData.partFiles(folder)).isNotEmpty();
    }
}
