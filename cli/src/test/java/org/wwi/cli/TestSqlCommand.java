package org.wwi.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.external.ExternalSql;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wwi sql}: PolyBase DDL into the catalog, the rest to the query engine or PostgreSQL. */
@ExtendWith(WwiPostgres.class)
class TestSqlCommand {
    private static final String ACCOUNT_KEY = "c3VwZXItc2VjcmV0LWFjY291bnQta2V5LTk4NzY1";

    @TempDir
    static Path project;
    private static String url;
    private static Database db;

    @BeforeAll
    static void migrate(TestServer server) throws Exception {
        Path root = Path.of(System.getProperty("wwi.test.root", ".."));
        for (String dir : List.of("migrations/sql/control", "migrations/sql/warehouse", "external-tables/ddl")) {
            Path to = Files.createDirectories(project.resolve(dir));
            try (Stream<Path> files = Files.list(root.resolve(dir))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        db = server.createDatabase("cli_sql");
        url = db.jdbcUrl();
        // the schemas only: the tests run the PolyBase DDL themselves (wwi migrate would also apply
        // external-tables/ddl, which needs WWI_MASTER_KEY_PASSWORD on an external server)
        org.wwi.migrations.Migrations.forProject(project).migrate(db);
    }

    private static Run sql(String... args) {
        String[] all = Stream.concat(Stream.of("--project", project.toString(), "--db", url, "sql"), Stream.of(args))
                .toArray(String[]::new);
        return Run.of(all);
    }

    @Test
    void theWwiDdlSequenceRunsFromAFile() throws Exception {
        Path lake = Files.createDirectories(project.resolve("lake with space"));
        Path script = project.resolve("scenario.sql");
        Files.writeString(script, """
                -- WWI's scenario, with names changed to local paths
                CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'We1come-to-WWI!';
                GO
                CREATE DATABASE SCOPED CREDENTIAL AzureStorageCredential
                WITH IDENTITY = 'wwistorage', SECRET = '%s';
                CREATE EXTERNAL DATA SOURCE AzureStorage
                WITH (TYPE = HADOOP, LOCATION = '%s', CREDENTIAL = AzureStorageCredential);
                CREATE EXTERNAL FILE FORMAT ParquetFile
                WITH (FORMAT_TYPE = PARQUET, DATA_COMPRESSION = 'org.apache.hadoop.io.compress.SnappyCodec');
                CREATE EXTERNAL TABLE [ext].[Sales] (
                    [SaleId] BIGINT NOT NULL,
                    [Amount] DECIMAL(10,2),
                    [SaleDay] DATE
                )
                WITH (LOCATION = '/sales/', DATA_SOURCE = AzureStorage, FILE_FORMAT = ParquetFile,
                      REJECT_TYPE = VALUE, REJECT_VALUE = 0, PARTITION_COLUMNS = (SaleDay));
                """.formatted(ACCOUNT_KEY, lake.toUri()));
        Run r = sql("-f", script.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).hasSize(5);
        assertThat(r.out()).contains("CREATE MASTER KEY: created (")
                .contains("CREATE DATABASE SCOPED CREDENTIAL AzureStorageCredential: created")
                .contains("CREATE EXTERNAL DATA SOURCE AzureStorage: created (file:///")
                .contains("CREATE EXTERNAL FILE FORMAT ParquetFile: created (PARQUET)")
                .contains("CREATE EXTERNAL TABLE ext.Sales: created (3 columns, 1 partition column, AzureStorage "
                        + "/sales/, PARQUET)")
                .contains(" ms)");
        assertThat(r.out() + r.err()).doesNotContain(ACCOUNT_KEY);

        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(*) filter (where position(convert_to('"
                     + ACCOUNT_KEY + "', 'UTF8') in secret) > 0) from secrets.credential")) {
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
            assertThat(rs.getInt(2)).as("credentials holding the secret in clear").isZero();
        }

        Run again = sql("CREATE DATABASE SCOPED CREDENTIAL AzureStorageCredential WITH IDENTITY = 'x', SECRET = '"
                + ACCOUNT_KEY + "'");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("exists already").doesNotContain(ACCOUNT_KEY);

        Run drop = sql("DROP EXTERNAL DATA SOURCE AzureStorage");
        assertThat(drop.exitCode()).isEqualTo(1);
        assertThat(drop.err().strip()).isEqualTo("error: Cannot run DROP EXTERNAL DATA SOURCE AzureStorage (statement "
                + "line 1): external table ext.Sales uses it (DROP EXTERNAL TABLE it first)");

        Run cleanup = sql("DROP EXTERNAL TABLE ext.Sales; DROP EXTERNAL FILE FORMAT ParquetFile; "
                + "DROP EXTERNAL DATA SOURCE AzureStorage; DROP DATABASE SCOPED CREDENTIAL AzureStorageCredential");
        assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
        assertThat(cleanup.out()).contains("DROP EXTERNAL TABLE ext.Sales: dropped");
    }

    @Test
    void theWwiPolybaseScenarioScriptLoadsTheLakeIntoTheWarehouse() throws Exception {
        Path scenario = Path.of(System.getProperty("wwi.test.root", "..")).resolve(
                "external-tables/examples/wwi-polybase-scenario.sql");
        Run generate = Run.in(project, url, "generate", "weblogs", "--out", project.resolve(".wwi/lake").toString(),
                "--rows", "3000", "--days", "3");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        for (int run = 1; run <= 2; run++) {
            Run r = sql("-f", scenario.toString());
            assertThat(r.exitCode()).as("run %d: %s", run, r.err()).isZero();
            assertThat(r.out())
                    .contains("CREATE EXTERNAL DATA SOURCE WwiLake: created (file:///")
                    .contains("CREATE EXTERNAL FILE FORMAT ParquetFormat: created (PARQUET)")
                    .contains("CREATE EXTERNAL TABLE wwi_external.WebEvents: created (12 columns, 1 partition column")
                    .contains("3000 rows affected")
                    .contains("notice: DISTRIBUTION = HASH(userid) recorded in ingest.distribution");
            // the count over the files and the count of the loaded table, each printed as a one-row table
            assertThat(r.out().lines().filter(l -> l.strip().equals("3000")).count()).isEqualTo(2);
            if (run == 2) {
                // the rerun dropped what the first made and skipped the master key and credential
                assertThat(r.out()).contains("DROP EXTERNAL TABLE wwi_external.WebEvents: dropped")
                        .contains("CREATE DATABASE SCOPED CREDENTIAL WwiStorageCredential: skipped");
            }
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct transactionday), "
                     + "(select distribution || ':' || hash_column from ingest.distribution "
                     + "where table_name = 'stg.webevents') from stg.webevents")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3000);
            assertThat(rs.getInt(2)).isEqualTo(3);
            assertThat(rs.getString(3)).isEqualTo("HASH:userid");
        }
    }

    @Test
    void syntaxErrorsNameLineAndColumnAndHideSecrets() {
        Run r = sql("SELECT 1;\nCREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'me', SECRET = 'hunter2-secret' WTH");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: Cannot parse statement at line 2, column 85: expected end of statement (or ';' before the next "
                + "one), found 'WTH'", "SECRET = '***' WTH\n    |" + " ".repeat(74) + "^").doesNotContain("hunter2-secret");
    }

    @Test
    void otherStatementsPrintAlignedTablesAndCounts() {
        Run r = sql("select 1 as one, 'two' as two");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("one  two").contains("---  ---").contains("1    two").contains("(1 row, ");
    }

    @Test
    void theFallbackSendsStatementsToPostgres() {
        try (ExternalSql pg = new SqlCommand.PostgresSql(db)) {
            assertThat(pg.execute("create temporary table t (a int)", Progress.none()).updateCount()).hasValue(0);
            ExternalSql.Result rows = pg.execute("select g, null::text as n from generate_series(1, 3) g",
                    Progress.none());
            assertThat(rows.columns()).containsExactly("g", "n");
            assertThat(rows.rows()).hasSize(3);
            assertThat(rows.rows().get(2)).containsExactly(3, null);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pg.execute("select * from nowhere",
                    Progress.none())).hasMessageContaining("relation \"nowhere\" does not exist")
                    .hasMessageContaining("42P01");
        }
    }

    @Test
    void emptyScriptsAndBothSourcesAreHandled() throws Exception {
        Run empty = sql("/* only a comment */");
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.err()).contains("nothing to run");
        Path f = Files.writeString(project.resolve("x.sql"), "select 1");
        Run both = sql("select 2", "-f", f.toString());
        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.err()).contains("both the argument and -f");
    }
}
