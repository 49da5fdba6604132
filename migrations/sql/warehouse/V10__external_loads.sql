-- External-table loads (external-tables module, docs/EXTERNAL-TABLES-DATA.md).
--   ingest.load          : one row per load statement (INSERT … SELECT, CTAS, Loader API)
--   ingest.reject        : rows of external files that did not convert, written in the load's transaction
--   ingest.distribution  : DISTRIBUTION of tables created by CTAS (HASH(col) / ROUND_ROBIN / REPLICATE);
--                          applied with Citus when the extension is installed
create schema if not exists ingest;
comment on schema ingest is 'Loads from external tables: load log, rejected rows, table distributions';

create table ingest.load (
    load_id         bigint generated always as identity primary key,
    statement_kind  text        not null check (statement_kind in ('INSERT', 'CTAS', 'API')),
    source_table    text        not null,        -- external table, schema.name (or a query)
    target_table    text        not null,        -- schema.name in this database
    files           integer     not null,
    rows_loaded     bigint      not null,
    rows_rejected   bigint      not null,
    bytes_read      bigint      not null,
    started_at      timestamptz not null,
    finished_at     timestamptz not null default now()
);
comment on table ingest.load is 'One row per load from external tables; written in the load''s own transaction';

create table ingest.reject (
    load_id      bigint      not null references ingest.load (load_id) on delete cascade,
    source_table text        not null,
    file         text        not null,
    row_number   bigint      not null,
    column_name  text,                          -- null when the row as a whole is bad (field count)
    raw_value    text,
    reason       text        not null,
    rejected_at  timestamptz not null default now()
);
comment on table ingest.reject is 'Rows of external files that did not convert (REJECT_VALUE / PERCENTAGE)';
create index reject_load_idx on ingest.reject (load_id);

create table ingest.distribution (
    table_name    text        primary key,      -- schema.name
    distribution  text        not null check (distribution in ('HASH', 'ROUND_ROBIN', 'REPLICATE')),
    hash_column   text,
    applied       boolean     not null,         -- true when Citus applied it
    recorded_at   timestamptz not null default now(),
    check ((distribution = 'HASH') = (hash_column is not null))
);
comment on table ingest.distribution is 'DISTRIBUTION of CTAS tables; applied = true when Citus distributed the table';
