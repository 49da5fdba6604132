-- External-table catalog: what PolyBase DDL (CREATE EXTERNAL DATA SOURCE | FILE FORMAT | TABLE)
-- defines, as stored by org.wwi.external.catalog.CatalogStore (docs/EXTERNAL-TABLES.md).
-- Names compare case-insensitively, as in T-SQL: unique indexes on lower(name).
-- Credentials are the database scoped credentials of schema secrets (V3); a data source refers
-- to one by name, and the foreign key keeps a used credential from being dropped.
-- Tables are singular and internal; the plural views are named after SQL Server's catalog views
-- (sys.external_data_sources, …) for people who look around with psql.

create table catalog.external_data_source (
    data_source_id   integer     generated always as identity primary key,
    name             text        not null check (name <> '' and length(name) <= 128),
    type             text        not null check (type in ('HADOOP', 'BLOB_STORAGE')),
    location         text        not null check (location ~ '^(file|abfs|abfss|wasb|wasbs)://'),
    credential_name  text        references secrets.credential (name) on delete restrict,
    created_at       timestamptz not null default now()
);
create unique index external_data_source_name_key on catalog.external_data_source (lower(name));
comment on table catalog.external_data_source is 'CREATE EXTERNAL DATA SOURCE: where external files live (file:// or Azure storage)';

create table catalog.external_file_format (
    file_format_id    integer     generated always as identity primary key,
    name              text        not null check (name <> '' and length(name) <= 128),
    format_type       text        not null check (format_type in ('PARQUET', 'DELIMITEDTEXT')),
    field_terminator  text        not null default '|' check (field_terminator <> ''),
    string_delimiter  text        check (length(string_delimiter) = 1),
    first_row         integer     not null default 1 check (first_row >= 1),
    date_format       text,
    use_type_default  boolean     not null default false,
    encoding          text        not null default 'UTF8' check (encoding in ('UTF8', 'UTF16')),
    data_compression  text,
    created_at        timestamptz not null default now()
);
create unique index external_file_format_name_key on catalog.external_file_format (lower(name));
comment on table catalog.external_file_format is 'CREATE EXTERNAL FILE FORMAT: PARQUET or DELIMITEDTEXT with its options';

create table catalog.external_table (
    table_id             integer          generated always as identity primary key,
    schema_name          text             not null check (schema_name <> '' and length(schema_name) <= 128),
    table_name           text             not null check (table_name <> '' and length(table_name) <= 128),
    location             text             not null check (location <> ''),
    data_source_id       integer          not null references catalog.external_data_source (data_source_id) on delete restrict,
    file_format_id       integer          not null references catalog.external_file_format (file_format_id) on delete restrict,
    reject_type          text             not null default 'VALUE' check (reject_type in ('VALUE', 'PERCENTAGE')),
    reject_value         double precision not null default 0 check (reject_value >= 0),
    reject_sample_value  bigint           check (reject_sample_value >= 1),
    options              jsonb            not null default '{}' check (jsonb_typeof(options) = 'object'),
    created_at           timestamptz      not null default now(),
    check ((reject_type = 'PERCENTAGE') = (reject_sample_value is not null))
);
create unique index external_table_name_key on catalog.external_table (lower(schema_name), lower(table_name));
create index external_table_data_source_idx on catalog.external_table (data_source_id);
create index external_table_file_format_idx on catalog.external_table (file_format_id);
comment on table catalog.external_table is 'CREATE EXTERNAL TABLE: columns in external_column; options such as REQUIRE_SUCCESS_FILE and PARTITION_COLUMNS in options';

create table catalog.external_column (
    table_id          integer not null references catalog.external_table (table_id) on delete cascade,
    ordinal           integer not null check (ordinal >= 1),
    name              text    not null check (name <> '' and length(name) <= 128),
    type_kind         text    not null,   -- org.wwi.external.ExternalType.Kind
    type_precision    integer not null default 0,
    type_scale        integer not null default 0,
    type_length       integer not null default 0,   -- -1 for (MAX)
    sql_type          text    not null,   -- T-SQL spelling, e.g. DECIMAL(10,2)
    postgres_type     text    not null,   -- e.g. numeric(10,2)
    nullable          boolean not null default true,
    partition_column  boolean not null default false,
    primary key (table_id, ordinal)
);
create unique index external_column_name_key on catalog.external_column (table_id, lower(name));
comment on table catalog.external_column is 'Columns of external tables in declaration order; partition_column: from Hive key=value folders';

create view catalog.external_data_sources as
select s.name, s.type, s.location, s.credential_name, s.created_at
from catalog.external_data_source s;
comment on view catalog.external_data_sources is 'External data sources (cf. sys.external_data_sources)';

create view catalog.external_file_formats as
select f.name, f.format_type, f.field_terminator, f.string_delimiter, f.first_row, f.date_format,
       f.use_type_default, f.encoding, f.data_compression, f.created_at
from catalog.external_file_format f;
comment on view catalog.external_file_formats is 'External file formats (cf. sys.external_file_formats)';

create view catalog.external_tables as
select t.schema_name, t.table_name, t.location, s.name as data_source, f.name as file_format,
       t.reject_type, t.reject_value, t.reject_sample_value, t.options,
       (select count(*) from catalog.external_column c where c.table_id = t.table_id) as columns,
       t.created_at
from catalog.external_table t
join catalog.external_data_source s using (data_source_id)
join catalog.external_file_format f using (file_format_id);
comment on view catalog.external_tables is 'External tables (cf. sys.external_tables)';

create view catalog.external_columns as
select t.schema_name, t.table_name, c.ordinal, c.name, c.sql_type, c.postgres_type, c.nullable, c.partition_column
from catalog.external_column c
join catalog.external_table t using (table_id);
comment on view catalog.external_columns is 'Columns of external tables (cf. sys.columns of external tables)';
