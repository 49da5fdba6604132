package org.wwi.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.control.SecretStore;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(WwiPostgres.class)
class TestCli {

    @Test
    void unknownCommandPrintsUsageAndExitsWithTwo() {
        Run r = Run.of("frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument").contains("Usage: wwi");
    }

    @Test
    void unknownOptionPrintsUsageAndExitsWithTwo() {
        Run r = Run.of("migrate", "--frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'").contains("Usage: wwi migrate");
    }

    @Test
    void unreachableDatabaseIsOneLineNamingHostPortAndCause(@TempDir Path project) {
        Run r = Run.of("--project", project.toString(), "--db", "jdbc:postgresql://127.0.0.1:1/wwi", "migrate");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err().strip()).doesNotContain("\n")
                .startsWith("error: Cannot connect to PostgreSQL at 127.0.0.1:1: ")
                .containsIgnoringCase("refused");
    }

    @Test
    void badDatabaseUrlIsAUserError(@TempDir Path project) {
        Run r = Run.of("--project", project.toString(), "--db", "mysql://x/y?password=hunter2", "info");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("expected jdbc:postgresql://").doesNotContain("hunter2");
    }

    @Test
    void migrateTwiceThenInfoAndValidate(TestServer server, @TempDir Path project) throws Exception {
        Database db = server.createDatabase("cli_migrate");
        withMasterKey(db, project);
        String url = db.jdbcUrl();
        Run first = Run.of("--project", project.toString(), "--db", url, "migrate");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("V2__wwi_external_tables.sql").contains("external  2 applied");

        Run second = Run.of("--project", project.toString(), "--db", url, "migrate");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("control   up to date").contains("warehouse up to date")
                .contains("external  up to date");

        Run info = Run.of("--project", project.toString(), "--db", url, "info");
        assertThat(info.exitCode()).isZero();
        assertThat(info.out()).contains("checksum").contains("Success").contains("dim date");

        Run validate = Run.of("--project", project.toString(), "--db", url, "validate");
        assertThat(validate.exitCode()).isZero();
        assertThat(validate.out()).contains("valid");
    }

    @Test
    void validateFailsAfterAProjectMigrationFileIsEdited(TestServer server, @TempDir Path project) throws Exception {
        Database db = server.createDatabase("cli_edited");
        withMasterKey(db, project);
        Path sql = Path.of(System.getProperty("wwi.test.root", ".."), "migrations", "sql");
        for (String set : new String[] {"control", "warehouse"}) {
            Path to = Files.createDirectories(project.resolve("migrations/sql").resolve(set));
            try (var files = Files.list(sql.resolve(set))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        String url = db.jdbcUrl();
        assertThat(Run.of("--project", project.toString(), "--db", url, "migrate").exitCode()).isZero();
        Path v2 = project.resolve("migrations/sql/warehouse/V2__dim_date.sql");
        Files.writeString(v2, Files.readString(v2).replace("2035-12-31", "2036-12-31"));

        Run validate = Run.of("--project", project.toString(), "--db", url, "validate");
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.err()).contains("V2__dim_date.sql").containsIgnoringCase("checksum mismatch")
                .contains("add a new migration instead of editing an applied one");
    }

    /**
     * On an external server the shipped DDL needs WWI_MASTER_KEY_PASSWORD unless the database has a
     * master key; tests cannot set environment variables, so they create the key first.
     */
    private static void withMasterKey(Database db, Path project) {
        Migrations.shipped().migrate(db);
        SecretStore.open(db, project.resolve(".wwi")).createMasterKey("test master key password".toCharArray());
    }

    @Test
    void configShowsSourcesAndNeverThePassword(@TempDir Path project) throws Exception {
        Files.writeString(project.resolve("wwi.yaml"), "db:\n  embedded:\n    port: 55111\n  password: s3cret\n");
        Run r = Run.of("--project", project.toString(), "config");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("55111").contains("wwi.yaml").doesNotContain("s3cret");

        Files.writeString(project.resolve("wwi.yaml"), "db:\n  prot: 1\n");
        Run bad = Run.of("--project", project.toString(), "config");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown setting 'db.prot'").contains("wwi.yaml");
    }

    @Test
    void demoMigratesGeneratesTheLakeAndRecordsItsStages(Database db, @TempDir Path project) throws Exception {
        Run r = Run.of("--project", project.toString(), "--db", db.jdbcUrl(), "demo", "--rows", "3000");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("database").contains("migrate").contains("sample lake")
                .contains("Demo finished in");
        assertThat(project.resolve(".wwi/lake/_wwi_sample.json")).exists();
        // the five WWI dashboards, each page with every tile of its file and a CSV per tile
        Path reports = project.resolve(".wwi/reports");
        assertThat(r.out()).contains("5 dashboards in " + reports);
        String index = Files.readString(reports.resolve("index.html"));
        for (org.wwi.reports.Dashboard d : org.wwi.reports.Reports.shipped()) {
            assertThat(index).contains("href=\"" + d.name() + ".html\"");
            String page = Files.readString(reports.resolve(d.name() + ".html"));
            for (org.wwi.reports.Dashboard.Tile t : d.tiles()) {
                assertThat(page).as("tile %s of %s", t.id(), d.name()).containsPattern("id=\"tile-" + t.id()
                        + "\" data-kind=\"[a-z_]+\" data-status=\"(ready|pending)\"");
                assertThat(reports.resolve(d.name()).resolve(t.id() + ".csv")).isRegularFile();
            }
        }
        assertThat(org.wwi.reports.Reports.shipped()).extracting(org.wwi.reports.Dashboard::name)
                .containsExactly("customer_behaviour", "elastic_jobs", "products", "recommendations", "sales_overview");

        Run again = Run.of("--project", project.toString(), "--db", db.jdbcUrl(), "demo");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("schemas up to date").contains("reused");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), min(outcome), max(outcome), "
                     + "(select count(*) from ops.command_stage), (select count(*) from ops.command_stage where run_id = "
                     + "(select min(run_id) from ops.command_run)) from ops.command_run where command = 'demo'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getString(2)).isEqualTo("succeeded");
            assertThat(rs.getInt(5)).isGreaterThanOrEqualTo(3);
            assertThat(rs.getInt(4)).isEqualTo(2 * rs.getInt(5));
        }

        // the demo's pipelines ran: running the nightly one again loads nothing new
        Run elt = Run.of("--project", project.toString(), "--db", db.jdbcUrl(), "elt", "run", "weblogs_daily");
        assertThat(elt.exitCode()).as(elt.err()).isZero();
        assertThat(elt.out()).contains("succeeded", "0 files and 0 rows loaded");

        // a corrupt file in a new day of web logs fails weblogs_daily, and so the demo
        Path day = Files.createDirectories(project.resolve(".wwi/lake/weblogs/TransactionDay=2030-01-01"));
        Files.writeString(day.resolve("part-00000-corrupt-c000.snappy.parquet"), "PAR1 not what Spark wrote PAR1");
        Files.createFile(day.resolve("_SUCCESS"));
        Run failing = Run.of("--project", project.toString(), "--db", db.jdbcUrl(), "demo");
        assertThat(failing.exitCode()).as(failing.out()).isNotZero();
        assertThat(failing.err()).contains("Cannot finish the ELT stage of the demo: pipeline weblogs_daily failed in "
                + "run ", "part-00000-corrupt-c000.snappy.parquet", "see wwi elt show ");
        assertThat(failing.out()).doesNotContain("Demo finished in");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select outcome from ops.command_run where command = 'demo' "
                     + "order by run_id desc limit 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("failed");
        }
    }
}
