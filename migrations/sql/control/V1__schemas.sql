-- The control database: what WWI Warehouse needs to run, as opposed to the data it serves.
-- (Schema ops is created by Flyway: it holds this set's history table.)
-- By default it is the same PostgreSQL database as the warehouse, in its own schemas;
-- the external-table catalog, the elastic-jobs model and the Quartz job store live here.
create schema if not exists catalog;
create schema if not exists jobs;
create schema if not exists quartz;

comment on schema catalog is 'External-table catalog: master key, credentials, data sources, file formats, external tables';
comment on schema jobs is 'Elastic jobs: targets, jobs, steps, executions (Azure Elastic Database Jobs model)';
comment on schema quartz is 'Quartz JDBC job store (clustered scheduling for wwi agent)';
comment on schema ops is 'Operations history of wwi commands';

-- Each wwi command that changes state (demo, migrate, generate, ...) leaves a row here.
create table ops.command_run (
    run_id       bigint generated always as identity primary key,
    command      text        not null,
    arguments    text        not null default '',
    host         text        not null,
    pid          bigint      not null,
    started_at   timestamptz not null default now(),
    finished_at  timestamptz,
    outcome      text        not null default 'running' check (outcome in ('running', 'succeeded', 'failed')),
    message      text
);
comment on table ops.command_run is 'One row per state-changing wwi command';
create index command_run_started_idx on ops.command_run (started_at desc);

create table ops.command_stage (
    run_id       bigint      not null references ops.command_run (run_id) on delete cascade,
    stage_no     integer     not null,
    stage        text        not null,
    started_at   timestamptz not null,
    duration_ms  bigint      not null check (duration_ms >= 0),
    summary      text        not null default '',
    primary key (run_id, stage_no)
);
comment on table ops.command_stage is 'The timed stages of a command run (e.g. the stages of wwi demo)';
