package org.wwi.external.ddl;

import org.junit.jupiter.api.Test;
import org.wwi.external.DataSourceDef;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ExternalType;
import org.wwi.external.FileFormatDef;
import org.wwi.external.RejectPolicy;
import org.wwi.external.ddl.DdlStatement.ObjectKind;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestParser {
    private static final Placeholders NONE = Placeholders.of(Map.of(), name -> null);

    private static DdlStatement one(String sql) {
        List<DdlStatement> all = SqlScript.parseDdl(sql, "test.sql", NONE);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static ExternalException error(String sql) {
        try {
            SqlScript.parseDdl(sql, "test.sql", NONE);
        } catch (ExternalException e) {
            return e;
        }
        throw new AssertionError("no error for: " + sql);
    }

    @Test
    void masterKeyWithAndWithoutPassword() {
        var withPassword = (DdlStatement.CreateMasterKey) one("CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'p@ss''word1'");
        assertThat(new String(withPassword.password().orElseThrow().chars())).isEqualTo("p@ss'word1");
        assertThat(withPassword.toString()).doesNotContain("p@ss");
        assertThat(withPassword.span().text()).isEqualTo("CREATE MASTER KEY ENCRYPTION BY PASSWORD = '***'");

        var without = (DdlStatement.CreateMasterKey) one("create master key;");
        assertThat(without.password()).isEmpty();

        var open = (DdlStatement.OpenMasterKey) one("OPEN MASTER KEY DECRYPTION BY PASSWORD = 'Str0ng!pass'");
        assertThat(new String(open.password().chars())).isEqualTo("Str0ng!pass");
    }

    @Test
    void credentials() {
        var create = (DdlStatement.Credential) one("""
                CREATE DATABASE SCOPED CREDENTIAL AzureStorageCredential
                WITH IDENTITY = 'wwistorage', SECRET = 'c2VjcmV0LWtleQ=='""");
        assertThat(create.alter()).isFalse();
        assertThat(create.name()).isEqualTo("AzureStorageCredential");
        assertThat(create.identity()).isEqualTo("wwistorage");
        assertThat(new String(create.secret().orElseThrow().chars())).isEqualTo("c2VjcmV0LWtleQ==");
        assertThat(create.toString() + create.span()).doesNotContain("c2VjcmV0");

        var alter = (DdlStatement.Credential) one("alter database scoped credential [my cred] with identity = N'SHARED ACCESS SIGNATURE'");
        assertThat(alter.alter()).isTrue();
        assertThat(alter.name()).isEqualTo("my cred");
        assertThat(alter.secret()).isEmpty();

        var drop = (DdlStatement.Drop) one("DROP DATABASE SCOPED CREDENTIAL AzureStorageCredential");
        assertThat(drop.kind()).isEqualTo(ObjectKind.CREDENTIAL);
        assertThat(drop.name()).isEqualTo("AzureStorageCredential");
    }

    @Test
    void dataSources() {
        var local = (DdlStatement.CreateDataSource) one(
                "CREATE EXTERNAL DATA SOURCE lake WITH (TYPE = HADOOP, LOCATION = 'file:///data/lake')");
        assertThat(local.definition()).isEqualTo(new DataSourceDef("lake", "HADOOP", URI.create("file:///data/lake"),
                Optional.empty()));

        var azure = (DdlStatement.CreateDataSource) one("""
                CREATE EXTERNAL DATA SOURCE AzureStorage WITH (
                    LOCATION = 'abfss://lake@wwistorage.dfs.core.windows.net/',
                    CREDENTIAL = AzureStorageCredential,
                    TYPE = BLOB_STORAGE
                );""");
        assertThat(azure.definition().type()).isEqualTo("BLOB_STORAGE");
        assertThat(azure.definition().credential()).contains("AzureStorageCredential");
        assertThat(azure.definition().scheme()).isEqualTo("abfss");

        assertThat(((DdlStatement.CreateDataSource) one("CREATE EXTERNAL DATA SOURCE w WITH (LOCATION = "
                + "'wasbs://c@acct.blob.core.windows.net/x')")).definition().type()).isEqualTo("HADOOP");
    }

    @Test
    void unsupportedLocationsAreRefusedWithTheirScheme() {
        ExternalException e = error("CREATE EXTERNAL DATA SOURCE h WITH (TYPE = HADOOP, LOCATION = 'hdfs://nn:8020/x')");
        assertThat(e.code()).isEqualTo(ExternalErrorCode.UNSUPPORTED_LOCATION);
        assertThat(e.getMessage()).contains("scheme hdfs", "file:///", "abfss://", "line 1");
        assertThat(error("CREATE EXTERNAL DATA SOURCE h WITH (LOCATION = 'file://relative/x')").getMessage())
                .contains("three slashes");
        assertThat(error("CREATE EXTERNAL DATA SOURCE h WITH (LOCATION = 'abfss://account.dfs.core.windows.net/')")
                .getMessage()).contains("names no container");
        assertThat(error("CREATE EXTERNAL DATA SOURCE h WITH (LOCATION = 'file:///a b')").getMessage())
                .contains("not a valid URI", "%20");
        assertThat(error("CREATE EXTERNAL DATA SOURCE h WITH (TYPE = HADOOP)").getMessage())
                .contains("option LOCATION is missing");
    }

    @Test
    void fileFormats() {
        var parquet = (DdlStatement.CreateFileFormat) one("CREATE EXTERNAL FILE FORMAT ParquetFile WITH "
                + "(FORMAT_TYPE = PARQUET, DATA_COMPRESSION = 'org.apache.hadoop.io.compress.SnappyCodec')");
        assertThat(parquet.definition().type()).isEqualTo(FileFormatDef.FormatType.PARQUET);
        assertThat(parquet.definition().compression()).contains("org.apache.hadoop.io.compress.SnappyCodec");

        var text = (DdlStatement.CreateFileFormat) one("""
                CREATE EXTERNAL FILE FORMAT TextFile WITH (
                    FORMAT_TYPE = DELIMITEDTEXT,
                    FORMAT_OPTIONS (FIELD_TERMINATOR = '|', STRING_DELIMITER = '"', FIRST_ROW = 2,
                                    DATE_FORMAT = 'M/d/yyyy h:mm:ss tt', USE_TYPE_DEFAULT = TRUE, ENCODING = 'UTF16'),
                    DATA_COMPRESSION = 'org.apache.hadoop.io.compress.GzipCodec')""");
        var o = text.definition().options();
        assertThat(o.fieldTerminator()).isEqualTo("|");
        assertThat(o.stringDelimiter()).contains('"');
        assertThat(o.firstRow()).isEqualTo(2);
        assertThat(o.dateFormat()).contains("M/d/yyyy h:mm:ss tt");
        assertThat(o.dateFormatter().orElseThrow().parse("8/1/2026 3:04:05 PM")).isNotNull();
        assertThat(o.useTypeDefault()).isTrue();
        assertThat(o.encoding()).isEqualTo(StandardCharsets.UTF_16);

        var tab = (DdlStatement.CreateFileFormat) one("CREATE EXTERNAL FILE FORMAT t WITH (FORMAT_TYPE = DELIMITEDTEXT, "
                + "FORMAT_OPTIONS (FIELD_TERMINATOR = '\\t'))");
        assertThat(tab.definition().options().fieldTerminator()).isEqualTo("\t");
        var hex = (DdlStatement.CreateFileFormat) one("CREATE EXTERNAL FILE FORMAT t WITH (FORMAT_TYPE = DELIMITEDTEXT, "
                + "FORMAT_OPTIONS (FIELD_TERMINATOR = '0x01'))");
        assertThat(hex.definition().options().fieldTerminator()).isEqualTo("\u0001");
    }

    @Test
    void fileFormatMistakes() {
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = ORC)").getMessage())
                .contains("ORC is not supported", "PARQUET or DELIMITEDTEXT");
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = PARQUET, FORMAT_OPTIONS (FIRST_ROW = 2))")
                .getMessage()).contains("FORMAT_OPTIONS apply only to FORMAT_TYPE = DELIMITEDTEXT");
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = PARQUET, DATA_COMPRESSION = "
                + "'org.apache.hadoop.io.compress.DefaultCodec')").getMessage())
                .contains("not supported for PARQUET", "SnappyCodec");
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = DELIMITEDTEXT, FORMAT_OPTIONS ("
                + "ENCODING = 'LATIN1'))").getMessage()).contains("ENCODING must be 'UTF8' or 'UTF16'");
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = DELIMITEDTEXT, FORMAT_OPTIONS ("
                + "DATE_FORMAT = 'yyyy-MM-dd {{'))").getMessage()).contains("DATE_FORMAT");
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = DELIMITEDTEXT, FORMAT_OPTIONS ("
                + "FIRST_ROW = 0))").getMessage()).contains("FIRST_ROW must be 1 or more");
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (DATA_COMPRESSION = 'x')").getMessage())
                .contains("option FORMAT_TYPE is missing");
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = PARQUET, FORMAT_TYPE = PARQUET)")
                .getMessage()).contains("option FORMAT_TYPE twice");
    }

    @Test
    void synapseStyleBracketsAroundNamesTypesAndOptionValues() {
        // as SSMS scripts a table: bracketed type names, types with their arguments outside the brackets
        var t = (DdlStatement.CreateExternalTable) one("""
                CREATE EXTERNAL TABLE [wwi_external].[Sales]
                (
                    [TransactionId] [nvarchar](36) NOT NULL,
                    [CustomerId] [int] NOT NULL,
                    [Price] [decimal](9,2) NOT NULL,
                    [Hour] [tinyint] NOT NULL
                )
                WITH
                (
                    LOCATION = '/sale-small/Year=2019',
                    DATA_SOURCE = [ABSS],
                    FILE_FORMAT = [ParquetFormat]
                )""");
        ExternalTableDef d = t.definition();
        assertThat(d.qualifiedName()).isEqualTo("wwi_external.Sales");
        assertThat(d.columns()).extracting(c -> c.name() + " " + c.type().sqlName() + (c.nullable() ? "" : " NOT NULL"))
                .containsExactly("TransactionId NVARCHAR(36) NOT NULL", "CustomerId INT NOT NULL",
                        "Price DECIMAL(9,2) NOT NULL", "Hour TINYINT NOT NULL");
        assertThat(d.dataSource()).isEqualTo("ABSS");
        assertThat(d.fileFormat()).isEqualTo("ParquetFormat");
        var source = (DdlStatement.CreateDataSource) one("CREATE EXTERNAL DATA SOURCE [ABSS] WITH (TYPE = HADOOP, "
                + "LOCATION = 'abfss://wwi-02@asadatalake.dfs.core.windows.net', CREDENTIAL = [Storage Credential])");
        assertThat(source.definition().credential()).hasValue("Storage Credential");
    }

    @Test
    void externalTableWithEveryOption() {
        var t = (DdlStatement.CreateExternalTable) one("""
                CREATE EXTERNAL TABLE [ext].[Weblogs] (
                    [UserId] INT NOT NULL,
                    "SessionId" NVARCHAR(50),
                    Price DECIMAL(10, 2) NULL,
                    Amount numeric(5),
                    Ratio FLOAT(24),
                    Notes VARCHAR(MAX) COLLATE Latin1_General_100_BIN2_UTF8,
                    TransactionDate DATETIME2(3),
                    TransactionDay DATE
                )
                WITH (
                    LOCATION = '/weblogs/',
                    DATA_SOURCE = AzureStorage,
                    FILE_FORMAT = ParquetFile,
                    REJECT_TYPE = PERCENTAGE,
                    REJECT_VALUE = 2.5,
                    REJECT_SAMPLE_VALUE = 1000,
                    REJECTED_ROW_LOCATION = '/rejects/',
                    PARTITION_COLUMNS = (transactionday),
                    REQUIRE_SUCCESS_FILE = TRUE
                )""");
        ExternalTableDef d = t.definition();
        assertThat(d.schema()).isEqualTo("ext");
        assertThat(d.name()).isEqualTo("Weblogs");
        assertThat(d.columns()).extracting(ExternalColumn::name).containsExactly("UserId", "SessionId", "Price",
                "Amount", "Ratio", "Notes", "TransactionDate", "TransactionDay");
        assertThat(d.columns().get(0)).isEqualTo(new ExternalColumn("UserId", ExternalType.of(ExternalType.Kind.INT),
                false, false));
        assertThat(d.columns().get(1).type()).isEqualTo(ExternalType.nvarchar(50));
        assertThat(d.columns().get(2).type().postgresType()).isEqualTo("numeric(10,2)");
        assertThat(d.columns().get(3).type().sqlName()).isEqualTo("NUMERIC(5,0)");
        assertThat(d.columns().get(4).type().postgresType()).isEqualTo("real");
        assertThat(d.columns().get(5).type().postgresType()).isEqualTo("text");
        assertThat(d.columns().get(6).type().postgresType()).isEqualTo("timestamp(3)");
        assertThat(d.columns().get(7).partitionColumn()).isTrue();
        assertThat(d.partitionColumns()).extracting(ExternalColumn::name).containsExactly("TransactionDay");
        assertThat(d.fileColumns()).hasSize(7);
        assertThat(d.location()).isEqualTo("/weblogs/");
        assertThat(d.dataSource()).isEqualTo("AzureStorage");
        assertThat(d.fileFormat()).isEqualTo("ParquetFile");
        assertThat(d.reject()).isEqualTo(RejectPolicy.percentage(2.5, 1000));
        assertThat(d.requireSuccessFile()).isTrue();
        assertThat(d.options()).containsEntry("REJECTED_ROW_LOCATION", "/rejects/")
                .containsEntry("PARTITION_COLUMNS", "TransactionDay");
    }

    @Test
    void externalTableDefaults() {
        var t = (DdlStatement.CreateExternalTable) one("create external table raw (line nvarchar(4000)) "
                + "with (location = '/raw/', data_source = lake, file_format = text)");
        assertThat(t.definition().schema()).isEqualTo("dbo");
        assertThat(t.definition().reject()).isEqualTo(RejectPolicy.DEFAULT);
        assertThat(t.definition().columns().get(0).nullable()).isTrue();
        assertThat(t.definition().requireSuccessFile()).isFalse();
    }

    @Test
    void externalTableMistakes() {
        String with = " WITH (LOCATION = '/x/', DATA_SOURCE = s, FILE_FORMAT = f)";
        assertThat(error("CREATE EXTERNAL TABLE t (a INT, A BIGINT)" + with).getMessage())
                .contains("column A is declared twice");
        assertThat(error("CREATE EXTERNAL TABLE t (a STRING)" + with).getMessage())
                .contains("has type STRING", "NVARCHAR");
        assertThat(error("CREATE EXTERNAL TABLE t (a DECIMAL(40,2))" + with).getMessage())
                .contains("precision must be 1 to 38");
        assertThat(error("CREATE EXTERNAL TABLE t (a NVARCHAR(5000))" + with).getMessage())
                .contains("length must be 1 to 4000 or MAX");
        assertThat(error("CREATE EXTERNAL TABLE t (a CHAR(MAX))" + with).getMessage())
                .contains("length must be 1 to 8000, not MAX");
        assertThat(error("CREATE EXTERNAL TABLE t (a INT(4))" + with).getMessage()).contains("INT takes no arguments");
        assertThat(error("CREATE EXTERNAL TABLE t (a INT) WITH (LOCATION = '/x/', FILE_FORMAT = f)").getMessage())
                .contains("option DATA_SOURCE is missing");
        assertThat(error("CREATE EXTERNAL TABLE t (a INT) WITH (LOCATION = '/x/', DATA_SOURCE = s, FILE_FORMAT = f, "
                + "PARTITION_COLUMNS = (day))").getMessage()).contains("partition column day is not declared");
        assertThat(error("CREATE EXTERNAL TABLE t (day DATE) WITH (LOCATION = '/x/', DATA_SOURCE = s, FILE_FORMAT = f, "
                + "PARTITION_COLUMNS = (day))").getMessage()).contains("needs a column read from the files");
        assertThat(error("CREATE EXTERNAL TABLE t (a INT) WITH (LOCATION = '/x/', DATA_SOURCE = s, FILE_FORMAT = f, "
                + "REJECT_TYPE = PERCENTAGE, REJECT_VALUE = 5)").getMessage()).contains("REJECT_SAMPLE_VALUE");
        assertThat(error("CREATE EXTERNAL TABLE t (a INT) WITH (LOCATION = '/x/', DATA_SOURCE = s, FILE_FORMAT = f, "
                + "REJECT_VALUE = 1.5)").getMessage()).contains("whole number");
        assertThat(error("CREATE EXTERNAL TABLE t (a INT) WITH (LOCATION = '/x/', DATA_SOURCE = s, FILE_FORMAT = f, "
                + "REJECT_TYPE = PERCENTAGE, REJECT_VALUE = 101, REJECT_SAMPLE_VALUE = 10)").getMessage())
                .contains("0 to 100");
        assertThat(error("CREATE EXTERNAL TABLE db.ext.t (a INT)" + with).getMessage())
                .contains("schema.name");
    }

    @Test
    void drops() {
        assertThat(one("DROP EXTERNAL TABLE ext.weblogs")).isEqualTo(new DdlStatement.Drop(
                ((DdlStatement.Drop) one("DROP EXTERNAL TABLE ext.weblogs")).span(), ObjectKind.TABLE,
                Optional.of("ext"), "weblogs"));
        assertThat(((DdlStatement.Drop) one("drop external table t")).schema()).contains("dbo");
        assertThat(((DdlStatement.Drop) one("DROP EXTERNAL DATA SOURCE lake")).kind()).isEqualTo(ObjectKind.DATA_SOURCE);
        assertThat(((DdlStatement.Drop) one("DROP EXTERNAL FILE FORMAT [pq]")).kind())
                .isEqualTo(ObjectKind.FILE_FORMAT);
    }

    @Test
    void existenceGuards() {
        var c = (DdlStatement.Conditional) one("""
                IF NOT EXISTS (SELECT * FROM sys.symmetric_keys WHERE name = '##MS_DatabaseMasterKey##')
                    CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Passw0rd!x'""");
        assertThat(c.negated()).isTrue();
        assertThat(c.kind()).isEqualTo(ObjectKind.MASTER_KEY);
        assertThat(c.name()).isEmpty();
        assertThat(c.then()).isInstanceOf(DdlStatement.CreateMasterKey.class);
        assertThat(c.span().text()).doesNotContain("Passw0rd").contains("'***'");

        var d = (DdlStatement.Conditional) one("IF EXISTS (SELECT 1 FROM sys.external_data_sources "
                + "WHERE name = 'lake') DROP EXTERNAL DATA SOURCE lake");
        assertThat(d.negated()).isFalse();
        assertThat(d.kind()).isEqualTo(ObjectKind.DATA_SOURCE);
        assertThat(d.name()).contains("lake");

        assertThat(error("IF EXISTS (SELECT * FROM sys.tables) DROP EXTERNAL TABLE t").getMessage())
                .contains("sys.external_tables");
    }

    @Test
    void tSqlLexicalRules() {
        List<DdlStatement> all = SqlScript.parseDdl("""
                /* a block comment /* nested */ still comment */
                -- a line comment with 'quote
                create   EXTERNAL data SOURCE [my ]]source] with (location = 'file:///it''s') -- trailing
                GO
                CREATE EXTERNAL FILE FORMAT "my ""format""\" WITH (FORMAT_TYPE = PARQUET)
                CREATE EXTERNAL FILE FORMAT second WITH (FORMAT_TYPE = PARQUET);;
                go
                """, "script.sql", NONE);
        assertThat(all).hasSize(3);
        DataSourceDef source = ((DdlStatement.CreateDataSource) all.get(0)).definition();
        assertThat(source.name()).isEqualTo("my ]source");
        assertThat(source.location().getPath()).isEqualTo("/it's");
        assertThat(all.get(0).span().line()).isEqualTo(3);
        assertThat(all.get(0).span().column()).isEqualTo(1);
        assertThat(((DdlStatement.CreateFileFormat) all.get(1)).definition().name()).isEqualTo("my \"format\"");
        assertThat(all.get(2).span().line()).isEqualTo(6);
        assertThat(all.get(2).span().origin()).isEqualTo("script.sql");
    }

    @Test
    void syntaxErrorsNameLineColumnExpectedAndFound() {
        ExternalException e = error("""
                CREATE EXTERNAL DATA SOURCE lake
                WITH (
                    LOCATIO = 'file:///lake'
                )""");
        assertThat(e.code()).isEqualTo(ExternalErrorCode.SYNTAX_ERROR);
        assertThat(e.getMessage()).startsWith("Cannot parse test.sql at line 3, column 5: expected one of TYPE, "
                + "LOCATION, CREDENTIAL, found 'LOCATIO'");
        assertThat(e.getMessage()).contains("\n  3 |     LOCATIO = 'file:///lake'\n    |     ^");

        assertThat(error("CREATE EXTERNAL VIEW v").getMessage())
                .contains("line 1, column 17: expected DATA SOURCE, FILE FORMAT or TABLE after CREATE EXTERNAL, "
                        + "found 'VIEW'");
        assertThat(error("CREATE EXTERNAL TABLE t (a INT").getMessage()).contains("expected ',' or ')' after a column, found end of statement");
        assertThat(error("CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = DELIMITEDTEXT, FORMAT_OPTIONS ("
                + "FIRST_ROW = 'two'))").getMessage()).contains("expected a row number (a whole number), found string 'two'");
        assertThat(error("CREATE EXTERNAL DATA SOURCE s WITH (LOCATION = 'file:///x' 'y')").getMessage())
                .contains("column 60: expected ',' or ')', found string 'y'");
        assertThat(error("CREATE EXTERNAL TABLE t (a INT) WITH (LOCATION = '/unterminated)").getMessage())
                .contains("line 1, column 50: unterminated string");
        assertThat(error("/* never closed").getMessage()).contains("unterminated comment");
        assertThat(error("SELECT 1").getMessage()).contains("expected a PolyBase DDL statement", "found 'SELECT'");
    }

    @Test
    void secretsAreNeverEchoedInErrors() {
        ExternalException e = error("CREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'me', SECRET = 'TopSecret42' oops");
        assertThat(e.getMessage()).contains("expected end of statement (or ';' before the next one), found 'oops'")
                .contains("SECRET = '***' oops\n    |" + " ".repeat(74) + "^").doesNotContain("TopSecret42");

        ExternalException concatenated = error("CREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'me', "
                + "SECRET = 'TopSecret42' 'more'");
        assertThat(concatenated.getMessage()).doesNotContain("TopSecret42");

        ExternalException unterminated = error("CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'TopSecret42");
        assertThat(unterminated.getMessage()).contains("unterminated string").doesNotContain("TopSecret42");

        ExternalException password = error("CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'TopSecret42' WITH");
        assertThat(password.getMessage()).doesNotContain("TopSecret42");

        assertThat(SqlScript.mask("ALTER DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'x', SECRET = 'a''b'; SELECT 'SECRET'"))
                .isEqualTo("ALTER DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'x', SECRET = '***'; SELECT 'SECRET'");
    }

    @Test
    void placeholdersAndEnvironment() {
        Placeholders p = Placeholders.of(Map.of("wwi.lake", "file:///home/me/lake"),
                name -> name.equals("AZ_KEY") ? "k3y" : null);
        var s = (DdlStatement.CreateDataSource) SqlScript.parseDdl(
                "CREATE EXTERNAL DATA SOURCE l WITH (LOCATION = '${wwi.lake}/sub')", "x", p).get(0);
        assertThat(s.definition().location()).isEqualTo(URI.create("file:///home/me/lake/sub"));

        var c = (DdlStatement.Credential) SqlScript.parseDdl("CREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = "
                + "'u', SECRET = ENV('AZ_KEY')", "x", p).get(0);
        assertThat(new String(c.secret().orElseThrow().chars())).isEqualTo("k3y");
        var c2 = (DdlStatement.Credential) SqlScript.parseDdl("CREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = "
                + "'u', SECRET = '${env:AZ_KEY}'", "x", p).get(0);
        assertThat(new String(c2.secret().orElseThrow().chars())).isEqualTo("k3y");

        var literal = (DdlStatement.CreateExternalTable) SqlScript.parseDdl("CREATE EXTERNAL TABLE t (a INT) WITH "
                + "(LOCATION = '/a$${b}/', DATA_SOURCE = s, FILE_FORMAT = f)", "x", p).get(0);
        assertThat(literal.definition().location()).isEqualTo("/a${b}/");

        assertThatThrownBy(() -> SqlScript.parseDdl("CREATE EXTERNAL DATA SOURCE l WITH (LOCATION = '${lake}')",
                "V1.sql", p))
                .isInstanceOf(ExternalException.class)
                .hasMessageContaining("placeholder ${lake} at V1.sql line 1, column 48")
                .extracting(e -> ((ExternalException) e).code()).isEqualTo(ExternalErrorCode.PLACEHOLDER_MISSING);

        // secrets are looked up when used, so a guarded statement that does not run needs no value
        var deferred = (DdlStatement.Conditional) SqlScript.parseDdl("IF NOT EXISTS (SELECT * FROM sys.symmetric_keys) "
                + "CREATE MASTER KEY ENCRYPTION BY PASSWORD = ENV('UNSET_VARIABLE')", "x", p).get(0);
        var key = (DdlStatement.CreateMasterKey) deferred.then();
        assertThatThrownBy(() -> key.password().orElseThrow().chars())
                .hasMessageContaining("environment variable UNSET_VARIABLE");
    }

    @Test
    void scriptsMixDdlWithSqlForTheQueryEngine() {
        SqlScript script = SqlScript.split("""
                select ';' as semi, "a;b" from t; -- ; in comment
                CREATE EXTERNAL FILE FORMAT f WITH (FORMAT_TYPE = PARQUET);
                create function f() returns int as $$ select 1; $$ language sql;
                select E'it\\'s;' ;
                CREATE TABLE dw.x WITH (DISTRIBUTION = ROUND_ROBIN) AS SELECT * FROM ext.weblogs
                GO
                ALTER DATABASE wwi SET timezone = 'UTC';
                DROP DATABASE SCOPED CREDENTIAL c
                """, "statement");
        assertThat(script.statements()).extracting(SqlScript.Statement::isDdl)
                .containsExactly(false, true, false, false, false, false, true);
        assertThat(script.statements().get(0).text()).isEqualTo("select ';' as semi, \"a;b\" from t");
        assertThat(script.statements().get(2).text()).isEqualTo("create function f() returns int as $$ select 1; $$ "
                + "language sql");
        assertThat(script.statements().get(3).text()).isEqualTo("select E'it\\'s;'");
        assertThat(script.statements().get(4).line()).isEqualTo(5);
    }
}
