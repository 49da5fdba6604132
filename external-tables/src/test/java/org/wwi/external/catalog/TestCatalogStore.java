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
import org.wwi.external.ExternalType;
import org.wwi.external.FileFormatDef;
import org.wwi.external.ResolvedTable;
import org.wwi.external.ddl.Placeholders;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(WwiPostgres.class)
class TestCatalogStore {
    private static final String ACCOUNT_KEY = "Zm9vYmFyLWFjY291bnQta2V5LTEyMzQ1Njc4OTA=";
    private static final Placeholders NONE = Placeholders.of(Map.of(), n -> null);

    @TempDir
    static Path tmp;
    private static Database db;
    private static CatalogStore store;

    @BeforeAll
    static void migrate(Database database) {
        db = database;
        Migrations.forProject(Path.of(System.getProperty("wwi.test.root", ".."))).migrate(db);
        store = CatalogStore.open(db, ServiceKey.file(tmp.resolve("service.key")));
    }

    @BeforeEach
    void empty() throws Exception {
        sql("delete from catalog.external_table; delete from catalog.external_file_format; "
                + "delete from catalog.external_data_source; delete from secrets.credential; delete from secrets.master_key");
    }

    private static List<CatalogStore.Outcome> run(String script) {
        return store.execute(script, "test.sql", NONE);
    }

    private static ExternalException failure(String script) {
        try {
            run(script);
        } catch (ExternalException e) {
            return e;
        }
        throw new AssertionError("no failure: " + script);
    }

    private static void sql(String statements) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }

    private static List<String> query(String select) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(select)) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void theWwiScenarioSequence() throws Exception {
        List<CatalogStore.Outcome> outcomes = run("""
                CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'We1come-to-WWI!';
                CREATE DATABASE SCOPED CREDENTIAL AzureStorageCredential
                    WITH IDENTITY = 'wwistorage', SECRET = '%s';
                CREATE EXTERNAL DATA SOURCE AzureStorage
                    WITH (TYPE = HADOOP, LOCATION = 'abfss://lake@wwistorage.dfs.core.windows.net',
                          CREDENTIAL = AzureStorageCredential);
                CREATE EXTERNAL FILE FORMAT ParquetFile
                    WITH (FORMAT_TYPE = PARQUET, DATA_COMPRESSION = 'org.apache.hadoop.io.compress.SnappyCodec');
                CREATE EXTERNAL TABLE ext.Weblogs (
                    UserId INT NOT NULL, Price DECIMAL(10,2), TransactionDate DATETIME2, TransactionDay DATE)
                WITH (LOCATION = '/weblogs/', DATA_SOURCE = AzureStorage, FILE_FORMAT = ParquetFile,
                      REJECT_TYPE = VALUE, REJECT_VALUE = 0, PARTITION_COLUMNS = (TransactionDay),
                      REQUIRE_SUCCESS_FILE = TRUE);
                """.formatted(ACCOUNT_KEY));
        assertThat(outcomes).extracting(CatalogStore.Outcome::statement).containsExactly("CREATE MASTER KEY",
                "CREATE DATABASE SCOPED CREDENTIAL AzureStorageCredential", "CREATE EXTERNAL DATA SOURCE AzureStorage",
                "CREATE EXTERNAL FILE FORMAT ParquetFile", "CREATE EXTERNAL TABLE ext.Weblogs");
        assertThat(outcomes.get(4).result()).isEqualTo("created (4 columns, 1 partition column, AzureStorage "
                + "/weblogs/, PARQUET)");
        assertThat(outcomes.toString()).doesNotContain(ACCOUNT_KEY);

        ResolvedTable r = store.resolved("EXT", "weblogs");
        assertThat(r.table().qualifiedName()).isEqualTo("ext.Weblogs");
        assertThat(r.table().columns()).hasSize(4);
        assertThat(r.table().columns().get(0).nullable()).isFalse();
        assertThat(r.table().column("price").orElseThrow().type()).isEqualTo(ExternalType.decimal(10, 2));
        assertThat(r.table().partitionColumns()).extracting(c -> c.name()).containsExactly("TransactionDay");
        assertThat(r.table().requireSuccessFile()).isTrue();
        assertThat(r.source().credential()).contains("AzureStorageCredential");
        assertThat(r.format().type()).isEqualTo(FileFormatDef.FormatType.PARQUET);
        assertThat(r.locationUri()).isEqualTo(URI.create("abfss://lake@wwistorage.dfs.core.windows.net/weblogs/"));
        assertThat(store.tables()).containsExactly(r.table());
        assertThat(store.dataSources()).containsExactly(r.source());
        assertThat(store.fileFormats()).containsExactly(r.format());

        var secret = store.secret("azurestoragecredential");
        assertThat(secret.identity()).isEqualTo("wwistorage");
        assertThat(new String(secret.secret())).isEqualTo(ACCOUNT_KEY);
        assertThat(secret.toString()).doesNotContain(ACCOUNT_KEY);

        // at rest: nothing in clear text anywhere in the control schemas
        // (searched as bytes: decoding random ciphertext as text fails on a 0x00 byte)
        assertThat(query("select count(*) from secrets.credential where position(convert_to('" + ACCOUNT_KEY
                + "', 'UTF8') in secret) > 0")).containsExactly("0");
        assertThat(query("select count(*) from secrets.credential")).containsExactly("1");
        assertThat(query("select * from catalog.external_data_sources")).noneMatch(s -> s.contains(ACCOUNT_KEY));
        assertThat(query("select schema_name, table_name, data_source, file_format, columns from catalog.external_tables"))
                .containsExactly("ext|Weblogs|AzureStorage|ParquetFile|4");
        assertThat(query("select name, sql_type, postgres_type, nullable, partition_column from catalog.external_columns "
                + "order by ordinal")).containsExactly("UserId|INT|integer|f|f", "Price|DECIMAL(10,2)|numeric(10,2)|t|f",
                "TransactionDate|DATETIME2|timestamp|t|f", "TransactionDay|DATE|date|t|t");
    }

    @Test
    void referencesMustExist() {
        run("CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'long enough'");
        ExternalException noCredential = failure("CREATE EXTERNAL DATA SOURCE s WITH (LOCATION = "
                + "'wasbs://c@acct.blob.core.windows.net', CREDENTIAL = missing)");
        assertThat(noCredential.code()).isEqualTo(ExternalErrorCode.NOT_FOUND);
        assertThat(noCredential.getMessage()).isEqualTo("Cannot run CREATE EXTERNAL DATA SOURCE s (test.sql line 1): "
                + "credential missing does not exist (CREATE DATABASE SCOPED CREDENTIAL missing WITH IDENTITY = '…', "
                + "SECRET = '…' first)");

        run("CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///lake')");
        String table = "CREATE EXTERNAL TABLE t (a INT) WITH (LOCATION = '/t/', DATA_SOURCE = %s, FILE_FORMAT = %s)";
        assertThat(failure(table.formatted("nope", "pq")).getMessage())
                .contains("external data source nope does not exist");
        assertThat(failure(table.formatted("LAKE", "pq")).getMessage())
                .contains("external file format pq does not exist", "CREATE EXTERNAL FILE FORMAT pq first");
        run("CREATE EXTERNAL FILE FORMAT pq WITH (FORMAT_TYPE = PARQUET)");
        run(table.formatted("LAKE", "PQ"));
        assertThat(store.table("dbo", "T")).isPresent();
        assertThat(store.resolved("dbo", "t").source().name()).isEqualTo("lake");
        assertThat(failure("CREATE EXTERNAL TABLE u (a INT) WITH (LOCATION = 'file:///elsewhere', DATA_SOURCE = lake, "
                + "FILE_FORMAT = pq)").code()).isEqualTo(ExternalErrorCode.UNSUPPORTED_LOCATION);
        assertThat(failure("CREATE EXTERNAL TABLE u (a INT) WITH (LOCATION = '/../etc/', DATA_SOURCE = lake, "
                + "FILE_FORMAT = pq)").getMessage()).contains("'..'");
        assertThatThrownBy(() -> store.resolved("dbo", "missing")).isInstanceOf(ExternalException.class)
                .hasMessageContaining("Cannot find external table dbo.missing");
        assertThatThrownBy(() -> store.secret("none")).hasMessageContaining("credential none: it does not exist");
    }

    @Test
    void namesAreUniqueCaseInsensitively() {
        run("""
                CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'long enough';
                CREATE DATABASE SCOPED CREDENTIAL Cred WITH IDENTITY = 'x', SECRET = 'first-secret';
                CREATE EXTERNAL DATA SOURCE Lake WITH (LOCATION = 'file:///lake');
                CREATE EXTERNAL FILE FORMAT Pq WITH (FORMAT_TYPE = PARQUET);
                CREATE EXTERNAL TABLE ext.T (a INT) WITH (LOCATION = '/t/', DATA_SOURCE = lake, FILE_FORMAT = pq);
                """);
        ExternalException cred = failure("CREATE DATABASE SCOPED CREDENTIAL CRED WITH IDENTITY = 'y', SECRET = "
                + "'second-secret'");
        assertThat(cred.code()).isEqualTo(ExternalErrorCode.ALREADY_EXISTS);
        assertThat(cred.getMessage()).contains("credential Cred exists already").doesNotContain("second-secret");
        assertThat(failure("CREATE EXTERNAL DATA SOURCE LAKE WITH (LOCATION = 'file:///x')").getMessage())
                .contains("external data source LAKE exists already");
        assertThat(failure("CREATE EXTERNAL FILE FORMAT pQ WITH (FORMAT_TYPE = PARQUET)").code())
                .isEqualTo(ExternalErrorCode.ALREADY_EXISTS);
        assertThat(failure("CREATE EXTERNAL TABLE EXT.t (b INT) WITH (LOCATION = '/t/', DATA_SOURCE = lake, "
                + "FILE_FORMAT = pq)").getMessage()).contains("external table EXT.t exists already");
        assertThat(failure("CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'other password'").getMessage())
                .contains("has one already");
    }

    @Test
    void dropsRefuseWhatIsInUseAndNameTheUsers() {
        run("""
                CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'long enough';
                CREATE DATABASE SCOPED CREDENTIAL cred WITH IDENTITY = 'x', SECRET = 's3cr3t-value';
                CREATE EXTERNAL DATA SOURCE az WITH (LOCATION = 'abfss://c@a.dfs.core.windows.net', CREDENTIAL = cred);
                CREATE EXTERNAL FILE FORMAT pq WITH (FORMAT_TYPE = PARQUET);
                CREATE EXTERNAL TABLE ext.b (a INT) WITH (LOCATION = '/b/', DATA_SOURCE = az, FILE_FORMAT = pq);
                CREATE EXTERNAL TABLE ext.a (a INT) WITH (LOCATION = '/a/', DATA_SOURCE = az, FILE_FORMAT = pq);
                """);
        ExternalException source = failure("DROP EXTERNAL DATA SOURCE az");
        assertThat(source.code()).isEqualTo(ExternalErrorCode.IN_USE);
        assertThat(source.getMessage()).isEqualTo("Cannot run DROP EXTERNAL DATA SOURCE az (test.sql line 1): "
                + "external tables ext.a, ext.b use it (DROP EXTERNAL TABLE them first)");
        assertThat(failure("DROP EXTERNAL FILE FORMAT pq").getMessage()).contains("external tables ext.a, ext.b use it");
        assertThat(failure("DROP DATABASE SCOPED CREDENTIAL cred").getMessage())
                .contains("external data source az uses it (drop it first)");
        assertThat(failure("DROP EXTERNAL TABLE ext.missing").getMessage())
                .contains("external table ext.missing does not exist");

        run("""
                DROP EXTERNAL TABLE ext.a;
                DROP EXTERNAL TABLE EXT.B;
                DROP EXTERNAL FILE FORMAT pq;
                DROP EXTERNAL DATA SOURCE az;
                DROP DATABASE SCOPED CREDENTIAL cred;
                """);
        assertThat(store.tables()).isEmpty();
        assertThat(store.dataSources()).isEmpty();
        assertThat(failure("DROP DATABASE SCOPED CREDENTIAL cred").code()).isEqualTo(ExternalErrorCode.NOT_FOUND);
    }

    @Test
    void alterCredentialKeepsOrReplacesTheSecret() {
        run("""
                CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'long enough';
                CREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'old', SECRET = 'first';
                ALTER DATABASE SCOPED CREDENTIAL C WITH IDENTITY = 'new';
                """);
        assertThat(store.secret("c").identity()).isEqualTo("new");
        assertThat(new String(store.secret("c").secret())).isEqualTo("first");
        run("ALTER DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'new', SECRET = 'second'");
        assertThat(new String(store.secret("c").secret())).isEqualTo("second");
        assertThat(failure("ALTER DATABASE SCOPED CREDENTIAL nope WITH IDENTITY = 'x'").code())
                .isEqualTo(ExternalErrorCode.NOT_FOUND);
    }

    @Test
    void credentialsNeedAMasterKey() {
        assertThatThrownBy(() -> run("CREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'x', SECRET = 'TopSecret'"))
                .hasMessageContaining("CREATE MASTER KEY").hasMessageNotContaining("TopSecret");
    }

    @Test
    void guardsMakeScriptsRerunnable() {
        String script = """
                IF NOT EXISTS (SELECT * FROM sys.symmetric_keys) CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'long enough';
                IF NOT EXISTS (SELECT * FROM sys.external_data_sources WHERE name = 'lake')
                    CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///lake');
                """;
        assertThat(run(script)).extracting(CatalogStore.Outcome::result).containsExactly("created",
                "created (file:///lake)");
        assertThat(run(script)).extracting(CatalogStore.Outcome::result).containsExactly("skipped: master key exists",
                "skipped: external data source lake exists");
        assertThat(run("IF EXISTS (SELECT * FROM sys.external_tables WHERE name = 'x') DROP EXTERNAL TABLE x"))
                .extracting(CatalogStore.Outcome::result).containsExactly("skipped: external table x does not exist");
    }

    @Test
    void eachStatementIsItsOwnTransaction() {
        assertThatThrownBy(() -> run("""
                CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///lake');
                CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///again');
                """)).hasMessageContaining("test.sql line 2");
        assertThat(store.dataSources()).singleElement().satisfies(s -> assertThat(s.location())
                .isEqualTo(URI.create("file:///lake")));
    }

    @Test
    void optionsAndDelimitedFormatsRoundTrip() {
        run("""
                CREATE EXTERNAL DATA SOURCE lake WITH (LOCATION = 'file:///lake');
                CREATE EXTERNAL FILE FORMAT txt WITH (FORMAT_TYPE = DELIMITEDTEXT, FORMAT_OPTIONS (
                    FIELD_TERMINATOR = '~"|', STRING_DELIMITER = '''', FIRST_ROW = 3, DATE_FORMAT = 'yyyy-MM-dd',
                    USE_TYPE_DEFAULT = TRUE, ENCODING = 'UTF16'), DATA_COMPRESSION = 'org.apache.hadoop.io.compress.GzipCodec');
                CREATE EXTERNAL TABLE raw (line NVARCHAR(MAX), n TINYINT) WITH (LOCATION = '/raw/x.txt', DATA_SOURCE = lake,
                    FILE_FORMAT = txt, REJECT_TYPE = PERCENTAGE, REJECT_VALUE = 12.5, REJECT_SAMPLE_VALUE = 200,
                    REJECTED_ROW_LOCATION = '/rej"ected\\', REQUIRE_SUCCESS_FILE = FALSE);
                """);
        ExternalTableDef t = store.table("dbo", "raw").orElseThrow();
        assertThat(t.options()).containsEntry("REJECTED_ROW_LOCATION", "/rej\"ected\\")
                .containsEntry("REQUIRE_SUCCESS_FILE", "FALSE");
        assertThat(t.reject().describe()).isEqualTo("REJECT_TYPE = PERCENTAGE, REJECT_VALUE = 12.5, "
                + "REJECT_SAMPLE_VALUE = 200");
        assertThat(t.columns().get(0).type()).isEqualTo(ExternalType.nvarchar(ExternalType.MAX));
        FileFormatDef f = store.fileFormat("TXT").orElseThrow();
        assertThat(f.options().fieldTerminator()).isEqualTo("~\"|");
        assertThat(f.options().stringDelimiter()).contains('\'');
        assertThat(f.options().firstRow()).isEqualTo(3);
        assertThat(f.options().dateFormat()).contains("yyyy-MM-dd");
        assertThat(f.options().useTypeDefault()).isTrue();
        assertThat(f.options().encoding()).isEqualTo(StandardCharsets.UTF_16);
        assertThat(f.compression()).contains("org.apache.hadoop.io.compress.GzipCodec");
    }
}
