package org.wwi.external.catalog;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.control.ServiceKey;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ddl.Placeholders;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(WwiPostgres.class)
class TestDdlMigrations {
    private static final Path ROOT = Path.of(System.getProperty("wwi.test.root", ".."));

    private static Database db;

    @BeforeAll
    static void migrate(Database database) {
        db = database;
        Migrations.forProject(ROOT).migrate(db);
    }

    /** Each test starts from migrated control schemas without DDL history, catalog objects or secrets. */
    @BeforeEach
    void empty() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists catalog.flyway_external_history; delete from catalog.external_table; "
                    + "delete from catalog.external_file_format; delete from catalog.external_data_source; "
                    + "delete from secrets.credential; delete from secrets.master_key");
        }
    }

    @Test
    void theShippedWwiDefinitionsApplyValidateAndStayApplied(@TempDir Path tmp) {
        Path lake = tmp.resolve("my lake");
        Placeholders placeholders = DdlMigrations.placeholders(tmp, lake,
                Map.of(DdlMigrations.MASTER_KEY_PASSWORD_ENV, "a demo password")::get);
        DdlMigrations ddl = DdlMigrations.fromFolder(ROOT.resolve("external-tables/ddl"), placeholders,
                ServiceKey.file(tmp.resolve("service.key")));

        DdlMigrations.MigrateOutcome outcome = ddl.migrate(db);
        assertThat(outcome.applied()).extracting(DdlMigrations.Applied::version).containsExactly("1", "2");
        assertThat(outcome.toVersion()).isEqualTo("2");

        CatalogStore catalog = CatalogStore.open(db, ServiceKey.file(tmp.resolve("service.key")));
        assertThat(catalog.tables()).extracting(ExternalTableDef::qualifiedName).containsExactly("ext.chat_transcripts",
                "ext.products", "ext.ratings", "ext.raw_weblog", "ext.recommendations", "ext.store_sales",
                "ext.users", "ext.weblogs", "ext.weblogs_int96");
        assertThat(catalog.resolved("ext", "weblogs").locationUri())
                .isEqualTo(URI.create(lake.toUri().toString().replaceAll("/$", "") + "/weblogs/"));
        assertThat(catalog.resolved("ext", "weblogs").table().partitionColumns()).extracting(c -> c.name())
                .containsExactly("TransactionDay");
        assertThat(catalog.resolved("ext", "raw_weblog").format().options().firstRow()).isEqualTo(2);
        assertThat(catalog.fileFormat("text_lines").orElseThrow().options().fieldTerminator()).isEqualTo("\u0001");

        assertThat(ddl.validate(db).valid()).isTrue();
        assertThat(ddl.info(db)).extracting(DdlMigrations.InfoRow::version, DdlMigrations.InfoRow::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0", "Baseline"),
                        org.assertj.core.groups.Tuple.tuple("1", "Success"),
                        org.assertj.core.groups.Tuple.tuple("2", "Success"));
        assertThat(ddl.migrate(db).applied()).isEmpty();
    }

    @Test
    void anExistingMasterKeyNeedsNoPassword(@TempDir Path tmp) {
        ServiceKey key = ServiceKey.file(tmp.resolve("service.key"));
        CatalogStore.open(db, key).execute("CREATE MASTER KEY", "setup", Placeholders.of(Map.of(), n -> null));
        DdlMigrations ddl = DdlMigrations.fromFolder(ROOT.resolve("external-tables/ddl"),
                DdlMigrations.placeholders(tmp, tmp.resolve("lake"), n -> null), key);
        assertThat(ddl.migrate(db).applied()).hasSize(2);
    }

    @Test
    void anEditedFileFailsValidation(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ddl"));
        Files.writeString(dir.resolve("V1__lake.sql"), "CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///lake');\n");
        DdlMigrations ddl = DdlMigrations.fromFolder(dir, Placeholders.of(Map.of(), n -> null),
                ServiceKey.file(tmp.resolve("service.key")));
        ddl.migrate(db);
        Files.writeString(dir.resolve("V1__lake.sql"), "CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///elsewhere');\n");

        DdlMigrations.ValidateOutcome v = ddl.validate(db);
        assertThat(v.valid()).isFalse();
        assertThat(v.problems()).singleElement().satisfies(p -> {
            assertThat(p.version()).isEqualTo("1");
            assertThat(p.message()).contains("checksum mismatch");
        });
        assertThatThrownBy(() -> ddl.migrate(db)).isInstanceOf(ExternalException.class)
                .hasMessageContaining("checksum mismatch");

        // line ends do not count, as with Flyway's SQL migrations
        Files.writeString(dir.resolve("V1__lake.sql"), "CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///lake');\r\n");
        assertThat(ddl.validate(db).valid()).isTrue();
    }

    @Test
    void aFailingFileLeavesNothingOfThePendingRun(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ddl"));
        Files.writeString(dir.resolve("V1__formats.sql"), "CREATE EXTERNAL FILE FORMAT pq WITH (FORMAT_TYPE = PARQUET);\n");
        Files.writeString(dir.resolve("V2__tables.sql"), """
                CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///lake');

                CREATE EXTERNAL TABLE ext.t (a INT) WITH (LOCATION = '/t/', DATA_SOURCE = lake, FILE_FORMAT = parquet);
                """);
        DdlMigrations ddl = DdlMigrations.fromFolder(dir, Placeholders.of(Map.of(), n -> null),
                ServiceKey.file(tmp.resolve("service.key")));
        ExternalException e = org.assertj.core.api.Assertions.catchThrowableOfType(ExternalException.class,
                () -> ddl.migrate(db));
        assertThat(e.code()).isEqualTo(ExternalErrorCode.MIGRATION_FAILED);
        assertThat(e.getMessage()).contains("CREATE EXTERNAL TABLE ext.t (V2__tables.sql line 3)",
                "external file format parquet does not exist", "Nothing of the failed migration was applied");
        CatalogStore catalog = CatalogStore.open(db, ServiceKey.file(tmp.resolve("service.key")));
        assertThat(catalog.fileFormats()).isEmpty();
        assertThat(catalog.dataSources()).isEmpty();

        Files.writeString(dir.resolve("V2__tables.sql"), Files.readString(dir.resolve("V2__tables.sql"))
                .replace("FILE_FORMAT = parquet", "FILE_FORMAT = pq"));
        assertThat(ddl.migrate(db).applied()).hasSize(2);
        assertThat(catalog.table("ext", "t")).isPresent();
    }

    @Test
    void secretsComeFromTheEnvironmentAndBadNamesAreRefused(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ddl"));
        Files.writeString(dir.resolve("V1__key.sql"), """
                CREATE MASTER KEY ENCRYPTION BY PASSWORD = '${env:WWI_TEST_MASTER_PASSWORD}';
                CREATE DATABASE SCOPED CREDENTIAL lake_key WITH IDENTITY = 'acct', SECRET = ENV('WWI_TEST_LAKE_KEY');
                """);
        DdlMigrations missing = DdlMigrations.fromFolder(dir, Placeholders.of(Map.of(), n -> null),
                ServiceKey.file(tmp.resolve("service.key")));
        assertThatThrownBy(() -> missing.migrate(db)).hasMessageContaining(
                "environment variable WWI_TEST_MASTER_PASSWORD at V1__key.sql line 1");
        assertThat(missing.info(db)).extracting(DdlMigrations.InfoRow::state).contains("Pending");

        DdlMigrations ddl = DdlMigrations.fromFolder(dir, Placeholders.of(Map.of(), Map.of(
                "WWI_TEST_MASTER_PASSWORD", "master password", "WWI_TEST_LAKE_KEY", "lake-account-key")::get),
                ServiceKey.file(tmp.resolve("service.key")));
        ddl.migrate(db);
        CatalogStore catalog = CatalogStore.open(db, ServiceKey.file(tmp.resolve("service.key")));
        assertThat(new String(catalog.secret("lake_key").secret())).isEqualTo("lake-account-key");

        Files.writeString(dir.resolve("V2_1__fine.sql"), "CREATE EXTERNAL FILE FORMAT pq WITH (FORMAT_TYPE = PARQUET)");
        Files.writeString(dir.resolve("v3-bad-name.sql"), "CREATE EXTERNAL FILE FORMAT x WITH (FORMAT_TYPE = PARQUET)");
        assertThatThrownBy(() -> ddl.migrate(db)).hasMessageContaining("v3-bad-name.sql")
                .hasMessageContaining("V<version>__<description>.sql");
        Files.delete(dir.resolve("v3-bad-name.sql"));
        assertThat(ddl.migrate(db).applied()).extracting(DdlMigrations.Applied::version).containsExactly("2.1");
    }
}
