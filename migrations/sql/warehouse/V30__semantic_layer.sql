-- Semantic layer: the state of the rollup tables it reads, and the log of the queries it answers.

create table mart.rollup_state (
    rollup_name      text        primary key,
    table_name       text        not null,              -- mart.<rollup_name>
    cube             text        not null,
    fingerprint      text        not null,              -- hash of the definition the table was built from
    built_at         timestamptz not null,
    fact_table       text,
    fact_high_water  bigint,                            -- max(high_water_mark) of the fact when built
    row_count        bigint      not null,
    build_millis     bigint      not null
);

comment on table mart.rollup_state is 'Rollup tables of the semantic layer: when each was built, from which fact high-water mark and model definition; a rollup older than its facts is stale and not used unless the model allows it';

create table mart.query_log (
    query_id     bigint        generated always as identity primary key,
    started_at   timestamptz   not null,
    user_name    text          not null,
    role_name    text,                                   -- null: unrestricted (command line, platform)
    source       text          not null,                 -- jdbc, cli, api
    sql          text          not null,
    status       text          not null check (status in ('ok', 'error')),
    row_count    bigint,
    duration_ms  numeric(12,3) not null,
    rollups      text[]        not null default '{}',    -- rollups that answered it; empty: detail tables
    error        text
);

comment on table mart.query_log is 'Queries answered by the semantic layer: who, what, how many rows, how long, and whether a rollup answered';

create index query_log_started_at_idx on mart.query_log (started_at);
create index query_log_user_idx on mart.query_log (user_name, started_at);
