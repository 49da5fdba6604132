package org.wwi.external.load;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.RejectPolicy;
import org.wwi.external.ResolvedTable;
import org.wwi.external.TestingCatalog;
import org.wwi.external.TestingLake;
import org.wwi.external.read.TableReader;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Storage;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.testkit.WwiPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming loader: files decoded on one thread while another feeds binary COPY, in the caller's transaction. */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestLoader {
    private Database db;

    @BeforeAll
    void setUp(Database db) throws SQLException {
        this.db = db;
        Migrations.forProject(Path.of(System.getProperty("wwi.test.root"))).migrate(db);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("create table stg.events (user_id integer, session_id varchar(50), action varchar(20), "
                    + "price numeric(10,2), transaction_date timestamp, transaction_day date)");
            // Action values are 'Browsed', 'Add To Cart', 'Purchased': only 'Browsed' fits varchar(7)
            st.execute("create table stg.narrow (user_id integer, action varchar(7))");
        }
    }

    private static ResolvedTable weblogs(RejectPolicy policy) {
        return TestingLake.catalog().add(TestingLake.weblogs("/weblogs/", policy)).resolved("ext", "weblogs");
    }

    private LoadResult load(Connection c, ResolvedTable t, String into, Progress progress) {
        try (Storage storage = Storage.open(t.source(), Optional.empty(), Map.of())) {
            List<FileRef> files = new TableReader(t, storage).list().files();
            TargetTable target = TargetTable.describe(c, "stg", into);
            return Loader.load(c, t, storage, files, target, ColumnMapping.byName(t.table(), target), progress, "API");
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void loadsEveryRowOnceAndReportsProgressOnTheCallingThread() throws SQLException {
        AtomicLong advanced = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        Progress progress = new Progress() {
            @Override
            public void advance(long delta) {
                advanced.addAndGet(delta);
                threads.add(Thread.currentThread());
            }

            @Override
            public void note(String note) {
            }

            @Override
            public void close() {
            }
        };
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            LoadResult r = load(c, weblogs(RejectPolicy.DEFAULT), "events", progress);
            assertThat(r.rows()).isEqualTo(TestingLake.ROWS);
            assertThat(r.files()).isEqualTo(TestingLake.DAYS);
            assertThat(count(c, "select count(*) from stg.events")).isEqualTo(TestingLake.ROWS);
            assertThat(count(c, "select count(distinct transaction_day) from stg.events")).isEqualTo(TestingLake.DAYS);
            assertThat(count(c, "select count(*) from stg.events where transaction_date::date <> transaction_day"))
                    .isZero();
            c.rollback();
            assertThat(count(c, "select count(*) from stg.events")).isZero();
        }
        assertThat(advanced.get()).isEqualTo(TestingLake.ROWS);
        assertThat(threads).containsOnly(Thread.currentThread());
    }

    @Test
    void valuesThatDoNotFitTheTargetAreRejectedWithTheirFileAndRow() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            LoadResult r = load(c, weblogs(RejectPolicy.percentage(100, 1000)), "narrow", Progress.none());
            long browsed = count(c, "select count(*) from stg.narrow");
            assertThat(browsed).isEqualTo(r.rows()).isPositive();
            assertThat(r.rows() + r.rejected()).isEqualTo(TestingLake.ROWS);
            assertThat(count(c, "select count(*) from stg.narrow where action <> 'Browsed'")).isZero();
            long loadId = r.loadId().orElseThrow();
            assertThat(count(c, "select count(*) from ingest.reject where load_id = " + loadId)).isEqualTo(r.rejected());
            // each reject names its Parquet file and a row number within it, not the statement's row count
            assertThat(count(c, "select count(*) from ingest.reject where load_id = " + loadId
                    + " and file like '%/TransactionDay=%/%.parquet' and column_name = 'action' and raw_value in "
                    + "('Add To Cart', 'Purchased') and row_number >= 1 and reason like 'longer than 7 characters%'"))
                    .isEqualTo(r.rejected());
            assertThat(count(c, "select count(distinct (file, row_number)) from ingest.reject where load_id = " + loadId))
                    .isEqualTo(r.rejected());
            assertThat(count(c, "select max(row_number) from ingest.reject where load_id = " + loadId))
                    .isLessThan(TestingLake.ROWS / 2);
            c.rollback();
        }
    }

    @Test
    void aRejectLimitBrokenWhileDecodingStopsTheCopyAndLeavesNothing() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            ResolvedTable t = weblogs(RejectPolicy.value(10));
            assertThatThrownBy(() -> load(c, t, "narrow", Progress.none()))
                    .isInstanceOf(ExternalException.class)
                    .hasMessageContaining("REJECT_VALUE = 10")
                    .hasMessageContaining(".parquet row ")
                    .extracting(e -> ((ExternalException) e).code()).isEqualTo(ExternalErrorCode.REJECT_LIMIT_EXCEEDED);
            c.rollback();
            assertThat(count(c, "select count(*) from stg.narrow")).isZero();
            // the connection is usable again: the COPY was ended, not left open
            assertThat(load(c, weblogs(RejectPolicy.DEFAULT), "events", Progress.none()).rows())
                    .isEqualTo(TestingLake.ROWS);
            c.rollback();
        }
    }

    @Test
    void aCorruptFileAfterGoodOnesFailsTheLoadNamingTheFile(@TempDir Path dir) throws IOException, SQLException {
        Path weblogs = TestingLake.lake().resolve("weblogs");
        List<Path> days;
        try (var s = Files.list(weblogs)) {
            days = s.filter(p -> p.getFileName().toString().startsWith("TransactionDay=")).sorted().toList();
        }
        for (Path day : days) {
            Path copy = Files.createDirectories(dir.resolve("weblogs").resolve(day.getFileName().toString()));
            try (var s = Files.list(day)) {
                for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        Path last = dir.resolve("weblogs").resolve(days.get(days.size() - 1).getFileName().toString());
        Path victim;
        try (var s = Files.list(last)) {
            victim = s.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(victim);
        for (int i = 4; i < bytes.length - 8; i += 5) {
            bytes[i] ^= 0x33;
        }
        Files.write(victim, bytes);
        TestingCatalog catalog = new TestingCatalog().add(TestingLake.source(dir)).add(TestingLake.parquet())
                .add(TestingLake.weblogs("/weblogs/", RejectPolicy.DEFAULT));
        ResolvedTable t = catalog.resolved("ext", "weblogs");
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> load(c, t, "events", Progress.none()))
                    .isInstanceOf(ExternalException.class)
                    .hasMessageContaining(victim.getFileName().toString())
                    .extracting(e -> ((ExternalException) e).code()).isEqualTo(ExternalErrorCode.FILE_CORRUPT);
            c.rollback();
            assertThat(count(c, "select count(*) from stg.events")).isZero();
        }
    }
}
