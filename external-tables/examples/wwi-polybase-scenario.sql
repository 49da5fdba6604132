-- WWI's PolyBase load, as its warehouse team writes it for Azure Synapse: master key, credential,
-- data source, file format, external table over the Spark-prepared Parquet, a count over the files,
-- and CTAS into a distributed warehouse table. Only the storage changed: the data source is the
-- local sample lake (${wwi.lake} is <project>/.wwi/lake).
--
--   ./wwi generate weblogs --out .wwi/lake        # the Parquet that the Databricks notebook writes
--   ./wwi sql -f external-tables/examples/wwi-polybase-scenario.sql
--
-- On Azure the data source would be
--   LOCATION = 'abfss://lake@wwistorage.dfs.core.windows.net' with SECRET = ENV('WWI_STORAGE_KEY').
-- The guards make the script rerunnable: what an earlier run created is dropped first, and the
-- master key and credential are created only when missing (wwi migrate already made a master key).

DROP TABLE IF EXISTS [stg].[WebEvents];
IF EXISTS (SELECT * FROM sys.external_tables WHERE name = 'WebEvents')
    DROP EXTERNAL TABLE [wwi_external].[WebEvents];
IF EXISTS (SELECT * FROM sys.external_file_formats WHERE name = 'ParquetFormat')
    DROP EXTERNAL FILE FORMAT [ParquetFormat];
IF EXISTS (SELECT * FROM sys.external_data_sources WHERE name = 'WwiLake')
    DROP EXTERNAL DATA SOURCE [WwiLake];
GO

-- 1. The database master key encrypts the secrets of database scoped credentials.
IF NOT EXISTS (SELECT * FROM sys.symmetric_keys WHERE name = '##MS_DatabaseMasterKey##')
    CREATE MASTER KEY;
GO

-- 2. The storage account's credential. Local files ignore it; the text is only a stand-in for
--    an account key (never write a real one into a file: use ENV('NAME')).
IF NOT EXISTS (SELECT * FROM sys.database_scoped_credentials WHERE name = 'WwiStorageCredential')
    CREATE DATABASE SCOPED CREDENTIAL [WwiStorageCredential]
    WITH IDENTITY = 'wwistorage', SECRET = 'local-files-need-no-account-key';
GO

-- 3. Where Spark wrote the files.
CREATE EXTERNAL DATA SOURCE [WwiLake]
WITH (
    TYPE = HADOOP,
    LOCATION = '${wwi.lake}',
    CREDENTIAL = [WwiStorageCredential]
);
GO

-- 4. Spark's default output.
CREATE EXTERNAL FILE FORMAT [ParquetFormat]
WITH (
    FORMAT_TYPE = PARQUET,
    DATA_COMPRESSION = 'org.apache.hadoop.io.compress.SnappyCodec'
);
GO

-- 5. The web events, one folder per day (TransactionDay=2026-08-01/part-….snappy.parquet).
CREATE EXTERNAL TABLE [wwi_external].[WebEvents]
(
    [UserId]            [int]            NOT NULL,
    [SessionId]         [varchar](36)    NOT NULL,
    [ProductId]         [int]            NOT NULL,
    [Quantity]          [int]            NOT NULL,
    [Price]             [decimal](10,2)  NOT NULL,
    [TotalPrice]        [decimal](12,2)  NOT NULL,
    [ReferralURL]       [nvarchar](1000) NULL,
    [PageStopDuration]  [int]            NOT NULL,
    [Action]            [varchar](20)    NOT NULL,
    [Channel]           [varchar](10)    NOT NULL,
    [TransactionDate]   [datetime2](6)   NOT NULL,
    [TransactionDay]    [date]           NOT NULL
)
WITH
(
    LOCATION = '/weblogs/',
    DATA_SOURCE = [WwiLake],
    FILE_FORMAT = [ParquetFormat],
    REJECT_TYPE = VALUE,
    REJECT_VALUE = 0,
    PARTITION_COLUMNS = ([TransactionDay])
);
GO

-- 6. What the files hold (answered from the Parquet footers).
SELECT COUNT(*) AS [Events] FROM [wwi_external].[WebEvents];
GO

-- 7. Load into the warehouse, distributed by user.
CREATE TABLE [stg].[WebEvents]
WITH
(
    DISTRIBUTION = HASH([UserId]),
    CLUSTERED COLUMNSTORE INDEX
)
AS
SELECT * FROM [wwi_external].[WebEvents]
OPTION (LABEL = 'CTAS : Load [stg].[WebEvents]');
GO

SELECT COUNT(*) AS [Events] FROM [stg].[WebEvents];
