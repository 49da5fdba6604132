-- WWI external tables, part 1: the master key, the sample lake as a data source, and the file
-- formats Spark writes. Applied by `wwi migrate` through Flyway (history catalog.flyway_external_history);
-- never edit an applied file: add V3__….sql instead (docs/EXTERNAL-TABLES.md).
--
-- Placeholders are resolved when the file runs and are not part of its checksum:
--   ${wwi.lake}    the sample lake as a file:/// URI (<project>/.wwi/lake)
--   ${env:NAME}    the environment variable NAME (secrets never go into a file)

-- The database master key protects the secrets of database scoped credentials. Its password comes
-- from the environment (`wwi demo` on the embedded server supplies a demo default).
IF NOT EXISTS (SELECT * FROM sys.symmetric_keys WHERE name = '##MS_DatabaseMasterKey##')
    CREATE MASTER KEY ENCRYPTION BY PASSWORD = '${env:WWI_MASTER_KEY_PASSWORD}';

-- The lake that the Databricks notebook (here: `wwi generate weblogs`) writes. Local files need no
-- credential; an ADLS Gen2 lake would be
--   CREATE DATABASE SCOPED CREDENTIAL wwi_storage WITH IDENTITY = 'wwistorage', SECRET = ENV('WWI_STORAGE_KEY');
--   CREATE EXTERNAL DATA SOURCE wwi_lake WITH (TYPE = HADOOP,
--       LOCATION = 'abfss://lake@wwistorage.dfs.core.windows.net', CREDENTIAL = wwi_storage);
CREATE EXTERNAL DATA SOURCE wwi_lake
WITH (
    TYPE = HADOOP,
    LOCATION = '${wwi.lake}'
);

-- Spark's default Parquet output.
CREATE EXTERNAL FILE FORMAT parquet_snappy
WITH (
    FORMAT_TYPE = PARQUET,
    DATA_COMPRESSION = 'org.apache.hadoop.io.compress.SnappyCodec'
);

-- The site's pipe-separated export: a header line, dates as 8/1/2026 3:04:05 PM.
CREATE EXTERNAL FILE FORMAT pipe_text_with_header
WITH (
    FORMAT_TYPE = DELIMITEDTEXT,
    FORMAT_OPTIONS (
        FIELD_TERMINATOR = '|',
        FIRST_ROW = 2,
        DATE_FORMAT = 'M/d/yyyy h:mm:ss a',
        USE_TYPE_DEFAULT = FALSE,
        ENCODING = 'UTF8'
    )
);

-- Whole lines of text (chat transcripts): the field terminator 0x01 never occurs in them.
CREATE EXTERNAL FILE FORMAT text_lines
WITH (
    FORMAT_TYPE = DELIMITEDTEXT,
    FORMAT_OPTIONS (
        FIELD_TERMINATOR = '0x01',
        ENCODING = 'UTF8'
    )
);
