package org.wwi.external.query;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalType;
import org.wwi.external.RejectPolicy;
import org.wwi.external.TestingCatalog;
import org.wwi.external.TestingLake;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a user of {@code wwi sql} sees for bad input: a corrupt or truncated Parquet file, a missing
 * folder and a declared type narrower than the file's each stop the statement with one line naming the
 * file (or folder) and what to do; an empty folder is a table without rows.
 */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBadInputThroughSql {
    private Path lake;
    private Database db;

    @BeforeAll
    void setUp(Database db) throws Exception {
        this.db = db;
        Migrations.forProject(Path.of(System.getProperty("wwi.test.root"))).migrate(db);
        lake = Files.createTempDirectory("wwi-bad-lake");
        TestingLake.writeBrokenParquet(lake);
        Files.createDirectories(lake.resolve("empty/TransactionDay=2026-08-01"));
        Files.createDirectories(lake.resolve("store_sales"));
        try (var files = Files.list(TestingLake.lake().resolve("store_sales"))) {
            for (Path f : files.toList()) {
                Files.copy(f, lake.resolve("store_sales").resolve(f.getFileName()));
            }
        }
    }

    private QuerySession session(String weblogsFolder) {
        TestingCatalog catalog = new TestingCatalog().add(TestingLake.source(lake)).add(TestingLake.parquet())
                .add(TestingLake.weblogs("/" + weblogsFolder + "/", RejectPolicy.DEFAULT))
                .add(TestingLake.storeSales(ExternalType.of(ExternalType.Kind.INT)));
        return new QuerySession(catalog, db);
    }

    private static ExternalException failure(QuerySession sql, String statement) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> sql.execute(statement, Progress.none()));
        assertThat(t).as(statement).isInstanceOf(ExternalException.class);
        assertThat(t.getMessage().lines().count()).as(t.getMessage()).isOne();
        return (ExternalException) t;
    }

    @Test
    void corruptAndTruncatedFilesAreNamed() {
        for (String folder : List.of("corrupt", "truncated")) {
            QuerySession sql = session(folder);
            // from the footers, from the pages, and in a load
            for (String statement : List.of("select count(*) from ext.weblogs", "select sum(Quantity) from ext.weblogs",
                    "create table stg.bad_" + folder + " as select * from ext.weblogs")) {
                ExternalException e = failure(sql, statement);
                assertThat(e.code()).as(statement).isEqualTo(ExternalErrorCode.FILE_CORRUPT);
                assertThat(e.getMessage()).as(statement).contains(folder + "/TransactionDay=2026-08-01/part-0.parquet");
            }
            assertThatThrownBy(() -> sql.execute("select 1 from stg.bad_" + folder, Progress.none()))
                    .as("the failed CTAS left no table").hasMessageContaining("does not exist");
        }
    }

    @Test
    void aMissingFolderIsNamedAndAnEmptyOneHasNoRows() {
        ExternalException e = failure(session("missing"), "select count(*) from ext.weblogs");
        assertThat(e.code()).isEqualTo(ExternalErrorCode.LOCATION_NOT_FOUND);
        assertThat(e.getMessage()).contains("missing").contains("does not exist").contains("LOCATION");
        QuerySession empty = session("empty");
        assertThat(((Number) empty.execute("select count(*) from ext.weblogs", Progress.none()).rows().get(0).get(0))
                .longValue()).isZero();
        assertThat(empty.execute("select * from ext.weblogs", Progress.none()).rows()).isEmpty();
    }

    @Test
    void aNarrowerDeclaredTypeNamesFileColumnAndBothTypes() {
        ExternalException e = failure(session("empty"), "select sum(SaleId) from ext.store_sales");
        assertThat(e.code()).isEqualTo(ExternalErrorCode.TYPE_MISMATCH);
        assertThat(e.getMessage()).contains("column SaleId").contains("part-00000").contains("INT64")
                .contains("BIGINT").contains("declared INT");
    }
}
