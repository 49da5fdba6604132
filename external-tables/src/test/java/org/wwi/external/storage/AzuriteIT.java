package org.wwi.external.storage;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.external.DataSourceDef;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalSql;
import org.wwi.external.ExternalSql.Context;
import org.wwi.external.RejectPolicy;
import org.wwi.external.TestingCatalog;
import org.wwi.external.TestingLake;
import org.wwi.external.TestingScript;
import org.wwi.external.catalog.CatalogStore;
import org.wwi.external.ddl.Placeholders;
import org.wwi.control.ServiceKey;
import org.wwi.external.query.QueryProvider;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.DbConfig;
import org.wwi.platform.Progress;
import org.wwi.platform.WwiConfig;
import org.wwi.testkit.WwiPostgres;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** External tables over Azure Blob Storage (wasb) against Azurite: upload a Spark folder, query it, load it. */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzuriteIT {
    private TestingAzurite azurite;
    private Database db;

    private CatalogStore store;

    @BeforeAll
    void start(Database db) throws Exception {
        this.db = db;
        store = CatalogStore.open(db, ServiceKey.file(Files.createTempDirectory("wwi-azurite-it").resolve("service.key")));
        azurite = TestingAzurite.start();
        Migrations.forProject(java.nio.file.Path.of(System.getProperty("wwi.test.root"))).migrate(db);
        DataSourceDef source = source("az_credential");
        try (Storage storage = Storage.open(source, Optional.of(new org.wwi.control.SecretStore.Secret("account key",
                TestingAzurite.KEY.toCharArray())), Map.of())) {
            FileSystem fs = storage.fileSystem(source.location());
            fs.copyFromLocalFile(false, true, new Path(TestingLake.lake().resolve("weblogs").toUri()),
                    new Path(source.location().toString() + "weblogs"));
        }
    }

    @AfterAll
    void stop() {
        if (azurite != null) {
            azurite.close();
        }
    }

    private DataSourceDef source(String credential) {
        return new DataSourceDef("lake", "HADOOP", URI.create(azurite.wasb("lake")), Optional.of(credential));
    }

    private TestingCatalog catalog(String key) {
        return catalog("account key", key);
    }

    private TestingCatalog catalog(String identity, String secret) {
        return new TestingCatalog().add(source("az_credential")).add(TestingLake.parquet())
                .add(TestingLake.weblogs("/weblogs/", RejectPolicy.DEFAULT))
                .secret("az_credential", identity, secret);
    }

    private ExternalSql session(TestingCatalog catalog) {
        WwiConfig config = new WwiConfig(java.nio.file.Path.of(System.getProperty("wwi.test.root")),
                new DbConfig(Optional.empty(), Optional.empty(), Optional.empty(), DbConfig.DEFAULT_EMBEDDED_PORT,
                        java.nio.file.Path.of(".wwi/pg"), "wwi"), Map.of());
        return new QueryProvider().open(new Context(db, catalog, config));
    }

    @Test
    void queriesAndLoadsASparkFolderInBlobStorage() {
        try (ExternalSql sql = session(catalog(TestingAzurite.KEY))) {
            ExternalSql.Result count = sql.execute("select count(*) from ext.weblogs", Progress.none());
            assertThat(((Number) count.rows().get(0).get(0)).longValue()).isEqualTo(TestingLake.ROWS);
            String day = TestingLake.START.plusDays(1).toString();
            ExternalSql.Result plan = sql.execute("explain select UserId from ext.weblogs where TransactionDay = date '"
                    + day + "'", Progress.none());
            assertThat(plan.rows().toString()).contains("files=[1 of 5 (partitions pruned)]");
            ExternalSql.Result ctas = sql.execute("create table stg.weblogs_azure with (distribution = round_robin) as "
                    + "select * from ext.weblogs", Progress.none());
            assertThat(ctas.updateCount()).hasValue(TestingLake.ROWS);
            ExternalSql.Result sum = sql.execute("select sum(quantity) from stg.weblogs_azure", Progress.none());
            ExternalSql.Result ext = sql.execute("select sum(Quantity) from ext.weblogs", Progress.none());
            assertThat(((Number) sum.rows().get(0).get(0)).longValue())
                    .isEqualTo(((Number) ext.rows().get(0).get(0)).longValue());
        }
    }

    /**
     * WWI's scenario script as it ships (external-tables/examples), with its data source in the Azurite
     * container: the credential it names is made first with {@code identity} and {@code secret}, so the
     * script's own guarded CREATE is skipped.
     */
    private List<TestingScript.Step> scenario(String identity, String secret) {
        Placeholders credential = Placeholders.of(Map.of(), n -> n.equals("AZURITE_SECRET") ? secret : null);
        store.execute("""
                IF NOT EXISTS (SELECT * FROM sys.symmetric_keys) CREATE MASTER KEY;
                IF NOT EXISTS (SELECT * FROM sys.database_scoped_credentials WHERE name = 'WwiStorageCredential')
                    CREATE DATABASE SCOPED CREDENTIAL WwiStorageCredential WITH IDENTITY = 'none', SECRET = 'none';
                ALTER DATABASE SCOPED CREDENTIAL WwiStorageCredential
                    WITH IDENTITY = '%s', SECRET = ENV('AZURITE_SECRET');
                """.formatted(identity), "credential.sql", credential);
        Placeholders lake = Placeholders.of(Map.of("wwi.lake", azurite.wasb("lake")), n -> null);
        WwiConfig config = new WwiConfig(java.nio.file.Path.of(System.getProperty("wwi.test.root")),
                new DbConfig(Optional.empty(), Optional.empty(), Optional.empty(), DbConfig.DEFAULT_EMBEDDED_PORT,
                        java.nio.file.Path.of(".wwi/pg"), "wwi"), Map.of());
        try (ExternalSql sql = new QueryProvider().open(new Context(db, store, config))) {
            return TestingScript.run(TestingScript.WWI_SCENARIO, lake, store, sql);
        }
    }

    private void assertLoaded(List<TestingScript.Step> steps) {
        assertThat(steps).anySatisfy(s -> assertThat(s.outcome()).isEqualTo("skipped: database scoped credential "
                + "WwiStorageCredential exists"));
        assertThat(TestingScript.lastCount(steps, "SELECT COUNT(*) AS [Events] FROM [wwi_external]"))
                .isEqualTo(TestingLake.ROWS);
        assertThat(TestingScript.lastCount(steps, "SELECT COUNT(*) AS [Events] FROM [stg]")).isEqualTo(TestingLake.ROWS);
        ExternalSql.Result ctas = steps.stream().filter(s -> s.statement().startsWith("CREATE TABLE [stg].[WebEvents]"))
                .findFirst().orElseThrow().result();
        assertThat(ctas.updateCount()).hasValue(TestingLake.ROWS);
        assertThat(ctas.notices()).anySatisfy(n -> assertThat(n).contains("HASH(userid)"));
    }

    @Test
    void theWwiScenarioRunsWithAnAccountKey() {
        assertLoaded(scenario("devstoreaccount1", TestingAzurite.KEY));
    }

    @Test
    void theWwiScenarioRunsWithASharedAccessSignature() throws Exception {
        assertLoaded(scenario("SHARED ACCESS SIGNATURE", "?" + azurite.readOnlySas()));
    }

    @Test
    void theWwiScenarioWithAWrongAccountKeyStopsWithOneClearErrorWithoutTheKey() {
        String wrong = java.util.Base64.getEncoder().encodeToString(new byte[64]);
        assertThatThrownBy(() -> scenario("devstoreaccount1", wrong))
                .isInstanceOf(ExternalException.class)
                .satisfies(e -> assertThat(((ExternalException) e).code()).isEqualTo(ExternalErrorCode.ACCESS_DENIED))
                .hasMessageContaining("WwiStorageCredential")
                .hasMessageNotContaining(wrong)
                .satisfies(e -> assertThat(e.getMessage().lines().count()).as(e.getMessage()).isOne());
    }
}
