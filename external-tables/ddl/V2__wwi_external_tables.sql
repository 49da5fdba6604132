-- WWI external tables, part 2: the datasets of the sample lake (docs/SAMPLE-DATA.md), declared
-- with T-SQL types that match what Spark wrote (a narrower type than the file's is an error when
-- read). Timestamps are UTC; Spark's `timestamp` is declared DATETIME2.

-- Web events, one folder per day written by a daily Spark job: TransactionDay comes from the
-- Hive folder names (TransactionDay=2026-08-01) and prunes folders; a day counts once its _SUCCESS exists.
CREATE EXTERNAL TABLE ext.weblogs (
    UserId            INT,
    SessionId         VARCHAR(36),
    ProductId         INT,
    Quantity          INT,
    Price             DECIMAL(10,2),
    TotalPrice        DECIMAL(12,2),
    ReferralURL       NVARCHAR(1000) NULL,
    PageStopDuration  INT,
    Action            VARCHAR(20),
    Channel           VARCHAR(10),
    TransactionDate   DATETIME2,
    TransactionDay    DATE NOT NULL
)
WITH (
    LOCATION = '/weblogs/',
    DATA_SOURCE = wwi_lake,
    FILE_FORMAT = parquet_snappy,
    REJECT_TYPE = VALUE,
    REJECT_VALUE = 0,
    PARTITION_COLUMNS = (TransactionDay),
    REQUIRE_SUCCESS_FILE = TRUE
);

-- The first two days again, written by an older Spark with TransactionDate as INT96.
CREATE EXTERNAL TABLE ext.weblogs_int96 (
    UserId            INT,
    SessionId         VARCHAR(36),
    ProductId         INT,
    Quantity          INT,
    Price             DECIMAL(10,2),
    TotalPrice        DECIMAL(12,2),
    ReferralURL       NVARCHAR(1000) NULL,
    PageStopDuration  INT,
    Action            VARCHAR(20),
    Channel           VARCHAR(10),
    TransactionDate   DATETIME2,
    TransactionDay    DATE NOT NULL
)
WITH (
    LOCATION = '/weblogs_int96/',
    DATA_SOURCE = wwi_lake,
    FILE_FORMAT = parquet_snappy,
    PARTITION_COLUMNS = (TransactionDay),
    REQUIRE_SUCCESS_FILE = TRUE
);

-- The raw export the notebook starts from; about 1% of its dates are dirty and are rejected
-- (the statement fails only when more than 2% of every 10,000 rows are).
CREATE EXTERNAL TABLE ext.raw_weblog (
    UserId            INT,
    SessionId         VARCHAR(36),
    ProductId         INT,
    Quantity          INT,
    Price             DECIMAL(10,2),
    TotalPrice        DECIMAL(12,2),
    ReferralURL       NVARCHAR(1000) NULL,
    PageStopDuration  INT,
    Action            VARCHAR(20),
    TransactionDate   DATETIME2 NOT NULL
)
WITH (
    LOCATION = '/raw/weblog.txt',
    DATA_SOURCE = wwi_lake,
    FILE_FORMAT = pipe_text_with_header,
    REJECT_TYPE = PERCENTAGE,
    REJECT_VALUE = 2,
    REJECT_SAMPLE_VALUE = 10000
);

CREATE EXTERNAL TABLE ext.products (
    ProductId     INT,
    ProductName   NVARCHAR(200),
    Category      NVARCHAR(50),
    Price         DECIMAL(10,2),
    DiscountRate  DECIMAL(4,3),
    CostPrice     DECIMAL(20,4),
    IsActive      BIT,
    Introduced    DATE
)
WITH (LOCATION = '/products/', DATA_SOURCE = wwi_lake, FILE_FORMAT = parquet_snappy);

CREATE EXTERNAL TABLE ext.users (
    UserId      INT,
    FirstName   NVARCHAR(100),
    LastName    NVARCHAR(100),
    Gender      CHAR(1),
    Age         INT,
    Region      NVARCHAR(50),
    SignupDate  DATE
)
WITH (LOCATION = '/users/', DATA_SOURCE = wwi_lake, FILE_FORMAT = parquet_snappy);

-- Implicit ratings: the best action per (user, product): Browsed 30, Add To Cart 70, Purchased 100.
CREATE EXTERNAL TABLE ext.ratings (
    UserId        INT,
    ProductId     INT,
    ActionPoints  INT
)
WITH (LOCATION = '/ratings/', DATA_SOURCE = wwi_lake, FILE_FORMAT = parquet_snappy);

-- Spark ALS recommendForAllUsers(20), flattened.
CREATE EXTERNAL TABLE ext.recommendations (
    UserId      INT,
    ProductId   INT,
    prediction  REAL
)
WITH (LOCATION = '/recommendations/', DATA_SOURCE = wwi_lake, FILE_FORMAT = parquet_snappy);

CREATE EXTERNAL TABLE ext.store_sales (
    SaleId     BIGINT,
    StoreId    INT,
    UserId     INT NULL,
    ProductId  INT,
    Quantity   INT,
    UnitPrice  DECIMAL(10,2),
    SaleDate   DATE,
    SaleTime   DATETIME2
)
WITH (LOCATION = '/store_sales/', DATA_SOURCE = wwi_lake, FILE_FORMAT = parquet_snappy);

-- Customer-service chats, one file per day, one row per line (blank lines between conversations are NULL).
CREATE EXTERNAL TABLE ext.chat_transcripts (
    Line  NVARCHAR(MAX)
)
WITH (LOCATION = '/chat/', DATA_SOURCE = wwi_lake, FILE_FORMAT = text_lines);
