-- The ELT ledger (elt-jobs module, docs/ELT.md). It lives in the warehouse database on purpose:
-- a loaded file is recorded in the same transaction as its rows, and a step's output in the same
-- transaction as the mark that it processed those files, so every file is loaded exactly once.
--   elt.run         one row per pipeline run (manual, scheduled, recovered, backfill)
--   elt.step_run    one row per step of a run: status, rows in/out/rejected, files, message
--   elt.file        the file ledger: every file loaded into a staging table, once
--   elt.file_step   which loaded files each later step of the pipeline has processed
--   elt.file_event  files reported by a load: changed after loading (not reloaded) or failed
--   elt.reject      rows that did not load or did not pass cleaning, with the reason
--   elt.test_result the data tests of each run
--   elt.lineage     per run and step: files, external tables and tables read; tables written

create table elt.run (
    run_id         bigint      generated always as identity primary key,
    pipeline       text        not null,
    trigger        text        not null check (trigger in ('manual', 'schedule', 'recovery', 'backfill')),
    status         text        not null check (status in ('running', 'succeeded', 'failed', 'skipped', 'abandoned')),
    fire_time      timestamptz,                      -- the scheduled fire time (schedule and recovery runs)
    window_start   timestamptz not null default '-infinity',
    window_end     timestamptz not null default 'infinity',
    parameters     jsonb       not null default '{}' check (jsonb_typeof(parameters) = 'object'),
    pipeline_hash  text,                             -- SHA-256 of the pipeline file the run used
    runner         text,                             -- host, process id and Quartz instance of whoever ran it
    started_at     timestamptz not null default clock_timestamp(),
    finished_at    timestamptz,
    files_loaded   integer     not null default 0,
    rows_in        bigint      not null default 0,
    rows_out       bigint      not null default 0,
    rows_rejected  bigint      not null default 0,
    message        text,                             -- the error of a failed run, why a run was skipped, warnings
    check ((status = 'running') = (finished_at is null)),
    check (window_start < window_end)
);
comment on table elt.run is 'ELT pipeline runs; abandoned = its process died (found by the next run of the pipeline)';
create index run_pipeline_idx on elt.run (pipeline, run_id desc);
-- a scheduled fire time succeeds at most once, whichever agent runs or recovers it
create unique index run_fire_time_once on elt.run (pipeline, fire_time)
    where status = 'succeeded' and fire_time is not null;

create table elt.step_run (
    run_id         bigint      not null references elt.run (run_id) on delete cascade,
    step           text        not null,
    ordinal        integer     not null check (ordinal >= 1),
    kind           text        not null check (kind in ('load', 'sql', 'merge', 'scd2', 'test', 'refresh')),
    status         text        not null check (status in ('running', 'succeeded', 'warned', 'failed', 'skipped')),
    started_at     timestamptz not null default clock_timestamp(),
    finished_at    timestamptz,
    files          integer     not null default 0,
    rows_in        bigint,
    rows_out       bigint,
    rows_rejected  bigint,
    message        text,                             -- error, warnings, or why the step was skipped
    primary key (run_id, step),
    check ((status = 'running') = (finished_at is null))
);
comment on table elt.step_run is 'Steps of ELT runs with rows in/out/rejected and duration';

create table elt.file (
    file_id           bigint      generated always as identity primary key,
    pipeline          text        not null,
    step              text        not null,
    source_table      text        not null,        -- the external table, schema.name
    target_table      text        not null,        -- the staging table, schema.name
    path              text        not null,        -- full storage path (URI)
    size_bytes        bigint      not null check (size_bytes >= 0),
    modified_at       timestamptz not null,
    checksum          text,                        -- when storage has one cheaply (e.g. HDFS, ABFS MD5)
    partition_values  jsonb       not null default '{}',
    rows_loaded       bigint      not null default 0,
    rows_rejected     bigint      not null default 0,
    run_id            bigint      not null references elt.run (run_id),
    loaded_at         timestamptz not null default clock_timestamp(),
    unique (source_table, target_table, path)
);
comment on table elt.file is 'File ledger: each file of an external table loaded into a staging table, exactly once';
create index file_run_idx on elt.file (run_id);
create index file_pipeline_idx on elt.file (pipeline, file_id);

create table elt.file_step (
    file_id  bigint      not null references elt.file (file_id) on delete cascade,
    step     text        not null,
    run_id   bigint      not null references elt.run (run_id),
    done_at  timestamptz not null default clock_timestamp(),
    primary key (file_id, step)
);
comment on table elt.file_step is 'Loaded files processed by a later step, marked in the step''s own transaction';

create table elt.file_event (
    event_id     bigint      generated always as identity primary key,
    run_id       bigint      not null references elt.run (run_id) on delete cascade,
    step         text        not null,
    source_table text        not null,
    target_table text        not null,
    path         text        not null,
    event        text        not null check (event in ('changed', 'failed')),
    size_bytes   bigint,
    modified_at  timestamptz,
    detail       text        not null,
    detected_at  timestamptz not null default clock_timestamp()
);
comment on table elt.file_event is 'Files a load reported: changed after loading (size or time; not reloaded) or failed';
create index file_event_run_idx on elt.file_event (run_id);
create index file_event_path_idx on elt.file_event (source_table, path);

create table elt.reject (
    reject_id    bigint      generated always as identity primary key,
    run_id       bigint      not null references elt.run (run_id) on delete cascade,
    step         text        not null,
    source       text        not null,             -- external table or staging table
    file         text,
    row_number   bigint,
    column_name  text,
    raw_value    text,
    reason       text        not null,
    rejected_at  timestamptz not null default clock_timestamp()
);
comment on table elt.reject is 'Rows that did not convert or did not pass cleaning, with file, row, column and reason';
create index reject_run_idx on elt.reject (run_id, step);

create table elt.test_result (
    run_id    bigint  not null references elt.run (run_id) on delete cascade,
    step      text    not null,
    test      text    not null,                    -- e.g. not_null(dw.fact_web_event.customer_key)
    severity  text    not null check (severity in ('error', 'warn')),
    status    text    not null check (status in ('passed', 'warned', 'failed')),
    observed  numeric,                             -- failing rows, row count, or age in seconds
    message   text    not null,
    primary key (run_id, step, test)
);
comment on table elt.test_result is 'Data tests of ELT runs';

create table elt.lineage (
    run_id       bigint not null references elt.run (run_id) on delete cascade,
    step         text   not null,
    direction    text   not null check (direction in ('read', 'write')),
    object_type  text   not null check (object_type in ('file', 'external_table', 'table')),
    object_name  text   not null,
    primary key (run_id, step, direction, object_type, object_name)
);
comment on table elt.lineage is 'What each step of a run read (files, external tables, tables) and wrote (tables)';
create index lineage_object_idx on elt.lineage (object_name);

create view elt.runs as
select r.run_id, r.pipeline, r.trigger, r.status, r.started_at, r.finished_at,
       r.finished_at - r.started_at as duration, r.window_start, r.window_end, r.fire_time,
       r.files_loaded, r.rows_in, r.rows_out, r.rows_rejected, r.message
from elt.run r;
comment on view elt.runs is 'ELT runs with their duration, newest last';

create view elt.table_lineage as
select w.object_name as written_table, r.object_type as read_type, r.object_name as read_object,
       w.run_id, w.step, run.pipeline, run.started_at
from elt.lineage w
join elt.lineage r on r.run_id = w.run_id and r.step = w.step and r.direction = 'read'
join elt.run run on run.run_id = w.run_id
where w.direction = 'write';
comment on view elt.table_lineage is 'For each table written by a step: what the same step read, per run';

-- The staging tables' default for their elt_file_id column: the file being loaded, set by the
-- load step with set_config('elt.file_id', …, true) before each file's COPY.
create function elt.current_file_id() returns bigint
language sql stable as $$
    select nullif(current_setting('elt.file_id', true), '')::bigint
$$;
comment on function elt.current_file_id() is 'The file a load step is copying (transaction setting elt.file_id)';
