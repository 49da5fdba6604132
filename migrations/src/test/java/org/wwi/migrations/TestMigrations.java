package org.wwi.migrations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(WwiPostgres.class)
class TestMigrations {
    private static final Path SQL = Path.of(System.getProperty("wwi.test.root", ".."), "migrations", "sql");

    @Test
    void migratesTwiceApplyingNothingTheSecondTime(TestServer server) throws SQLException {
        try (Database db = server.createDatabase("twice")) {
            Migrations m = Migrations.forProject(SQL.getParent().getParent());
            List<Migrations.MigrateOutcome> first = m.migrate(db);
            assertThat(first).extracting(Migrations.MigrateOutcome::set)
                    .containsExactly(SchemaSet.CONTROL, SchemaSet.WAREHOUSE);
            assertThat(first).allSatisfy(o -> assertThat(o.applied()).isNotEmpty());
            assertThat(first.get(0).location()).startsWith("filesystem:");

            List<Migrations.MigrateOutcome> second = m.migrate(db);
            assertThat(second).allSatisfy(o -> assertThat(o.applied()).isEmpty());
            assertThat(m.validate(db).valid()).isTrue();
            assertThat(m.info(db)).allSatisfy(r -> assertThat(r.state()).isEqualTo("Success"));

            assertThat(queryLong(db, "select count(*) from dw.dim_date")).isEqualTo(7670L);
            assertThat(queryLong(db, "select count(*) from dw.dim_channel")).isEqualTo(3L);
            assertThat(queryLong(db, "select count(*) from information_schema.tables "
                    + "where table_schema = 'quartz' and table_name like 'qrtz_%'")).isEqualTo(11L);
        }
    }

    @Test
    void fiscalCalendarFollowsWwiFiscalYearStartingInNovember(TestServer server) throws SQLException {
        try (Database db = server.createDatabase("fiscal")) {
            Migrations.forProject(SQL.getParent().getParent()).migrate(db);
            assertThat(queryString(db, "select fiscal_quarter_name from dw.dim_date where date = '2025-11-01'"))
                    .isEqualTo("FY2026-Q1");
            assertThat(queryString(db, "select fiscal_quarter_name from dw.dim_date where date = '2026-01-31'"))
                    .isEqualTo("FY2026-Q1");
            assertThat(queryString(db, "select fiscal_quarter_name from dw.dim_date where date = '2026-02-01'"))
                    .isEqualTo("FY2026-Q2");
            assertThat(queryString(db, "select fiscal_quarter_name from dw.dim_date where date = '2026-10-31'"))
                    .isEqualTo("FY2026-Q4");
            assertThat(queryString(db, "select fiscal_month || ' ' || day_name || ' ' || iso_week "
                    + "from dw.dim_date where date = '2026-08-03'")).isEqualTo("10 Monday 32");
        }
    }

    @Test
    void monthPartitionsMoveRowsOutOfTheDefaultPartition(TestServer server) throws SQLException {
        try (Database db = server.createDatabase("partitions")) {
            Migrations.forProject(SQL.getParent().getParent()).migrate(db);
            execute(db, "insert into dw.dim_product (product_id, product_name, category, price) "
                    + "values (1, 'Peacock Décor Vase', 'Home Decor', 10)");
            execute(db, "insert into dw.fact_web_event (event_ts, date_key, session_id, customer_key, user_id,"
                    + " product_key, product_id, channel_key, action, quantity, price, total) values "
                    + "('2028-03-05 10:00+00', 20280305, 's1', 1, -1, 1, 1, 2, 'Purchased', 2, 10, 20)");
            assertThat(queryLong(db, "select count(*) from dw.fact_web_event_default")).isEqualTo(1L);
            assertThat(queryLong(db, "select dw.ensure_month_partitions('dw.fact_web_event', '2028-01-01',"
                    + " '2028-04-30')")).isEqualTo(4L);
            assertThat(queryLong(db, "select count(*) from dw.fact_web_event_default")).isZero();
            assertThat(queryLong(db, "select count(*) from dw.fact_web_event_202803")).isEqualTo(1L);
            assertThat(queryLong(db, "select action_points from dw.fact_web_event")).isEqualTo(100L);
            assertThat(queryLong(db, "select dw.ensure_month_partitions('dw.fact_web_event', '2028-01-01',"
                    + " '2028-04-30')")).isZero();
        }
    }

    @Test
    void validateFailsClearlyAfterAnAppliedFileIsEdited(TestServer server, @TempDir Path tmp) throws Exception {
        Map<SchemaSet, Path> folders = copyOfShippedSql(tmp);
        try (Database db = server.createDatabase("edited")) {
            Migrations m = Migrations.fromFolders(folders);
            m.migrate(db);
            Path v3 = folders.get(SchemaSet.WAREHOUSE).resolve("V3__dimensions.sql");
            Files.writeString(v3, Files.readString(v3) + "\n-- an edit after it was applied\n");

            Migrations.ValidateOutcome outcome = m.validate(db);
            assertThat(outcome.valid()).isFalse();
            assertThat(outcome.problems()).singleElement().satisfies(p -> {
                assertThat(p.set()).isEqualTo(SchemaSet.WAREHOUSE);
                assertThat(p.version()).isEqualTo("3");
                assertThat(p.message()).containsIgnoringCase("checksum mismatch");
            });
            assertThatThrownBy(() -> m.migrate(db)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void aFailingMigrationNamesFileAndStatementAndAppliesNothing(TestServer server, @TempDir Path tmp)
            throws Exception {
        Map<SchemaSet, Path> folders = copyOfShippedSql(tmp);
        Path warehouse = folders.get(SchemaSet.WAREHOUSE);
        Files.writeString(warehouse.resolve("V90__good.sql"), "create table dw.good_one (id int);\n");
        Files.writeString(warehouse.resolve("V91__broken.sql"),
                "create table dw.also_fine (id int);\ncreate tabel dw.broken (id int);\n");
        try (Database db = server.createDatabase("broken")) {
            Migrations m = Migrations.fromFolders(folders);
            assertThatThrownBy(() -> m.migrate(db))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("V91__broken.sql")
                    .hasMessageContaining("create tabel dw.broken")
                    .hasMessageContaining("syntax error")
                    .hasMessageContaining("Nothing of the failed migration was applied");
            // the whole pending group was rolled back: not even dw, nor V90, exist
            assertThat(queryLong(db, "select count(*) from pg_namespace where nspname = 'dw'")).isZero();
            // control migrations are a separate group and did apply
            assertThat(queryLong(db, "select count(*) from pg_namespace where nspname = 'quartz'")).isOne();
        }
    }

    static Map<SchemaSet, Path> copyOfShippedSql(Path tmp) throws Exception {
        for (SchemaSet s : SchemaSet.values()) {
            Path to = Files.createDirectories(tmp.resolve(s.folder()));
            try (var files = Files.list(SQL.resolve(s.folder()))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return Map.of(SchemaSet.CONTROL, tmp.resolve("control"), SchemaSet.WAREHOUSE, tmp.resolve("warehouse"));
    }

    static long queryLong(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String queryString(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void execute(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
