-- Elastic jobs: the Azure Elastic Database Jobs model on PostgreSQL (docs/ELASTIC-JOBS.md).
-- Tables are singular and internal; DBAs use the jobs.sp_* functions (V11) and the plural views
-- (V12), named as in Azure's job database. Lifecycle values are Azure's.
-- Credentials are not here: they are the database scoped credentials of schema secrets (V3),
-- referenced by name and read, decrypted, only by the agent's Java code.

revoke all on schema jobs from public;

-- A PostgreSQL server that jobs reach: the analogue of an Azure SQL logical server.
create table jobs.server (
    server_name           text        primary key check (server_name ~ '^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$'),
    host                  text        not null check (host <> ''),
    port                  integer     not null default 5432 check (port between 1 and 65535),
    maintenance_database  text        not null default 'postgres',
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);
comment on table jobs.server is 'Servers that elastic jobs reach (host:port); their databases are listed through maintenance_database';

-- An elastic pool: a named set of databases on one server with its own concurrency limit.
create table jobs.elastic_pool (
    server_name        text        not null references jobs.server (server_name) on update cascade on delete cascade,
    elastic_pool_name  text        not null check (elastic_pool_name ~ '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$'),
    max_parallelism    integer     check (max_parallelism > 0),
    created_at         timestamptz not null default now(),
    primary key (server_name, elastic_pool_name)
);
comment on table jobs.elastic_pool is 'Elastic pools: named sets of databases of a server; max_parallelism bounds the targets of the pool running at once, over all jobs and agents';

create table jobs.elastic_pool_database (
    server_name        text not null,
    elastic_pool_name  text not null,
    database_name      text not null check (database_name <> ''),
    added_at           timestamptz not null default now(),
    primary key (server_name, database_name),
    foreign key (server_name, elastic_pool_name) references jobs.elastic_pool (server_name, elastic_pool_name)
        on update cascade on delete cascade
);
comment on table jobs.elastic_pool_database is 'The databases of each elastic pool (a database is in at most one pool of its server)';

create table jobs.target_group (
    target_group_id    uuid        primary key default gen_random_uuid(),
    target_group_name  text        not null unique check (target_group_name ~ '^\S.{0,127}$'),
    created_at         timestamptz not null default now()
);
comment on table jobs.target_group is 'Target groups: sets of databases a job step runs on';

create table jobs.target_group_member (
    target_id                uuid        primary key default gen_random_uuid(),
    target_group_id          uuid        not null references jobs.target_group (target_group_id) on delete cascade,
    membership_type          text        not null default 'Include' check (membership_type in ('Include', 'Exclude')),
    target_type              text        not null check (target_type in ('PostgresServer', 'PostgresElasticPool', 'PostgresDatabase')),
    refresh_credential_name  text,
    server_name              text        not null references jobs.server (server_name) on update cascade,
    database_name            text,
    elastic_pool_name        text,
    created_at               timestamptz not null default now(),
    check (target_type <> 'PostgresServer' or (database_name is null and elastic_pool_name is null)),
    check (target_type <> 'PostgresDatabase' or (database_name is not null and elastic_pool_name is null)),
    check (target_type <> 'PostgresElasticPool' or (elastic_pool_name is not null and database_name is null)),
    foreign key (server_name, elastic_pool_name) references jobs.elastic_pool (server_name, elastic_pool_name)
        on update cascade
);
create unique index target_group_member_target_idx on jobs.target_group_member
    (target_group_id, target_type, server_name, coalesce(database_name, ''), coalesce(elastic_pool_name, ''));
comment on table jobs.target_group_member is 'Members of target groups: a server (its databases listed at run time), an elastic pool or one database; Include or Exclude (exclusions win)';

create table jobs.job (
    job_id                   uuid        primary key default gen_random_uuid(),
    job_name                 text        not null unique check (job_name ~ '^\S.{0,127}$'),
    job_version              integer     not null default 1 check (job_version > 0),
    description              text        not null default '',
    enabled                  boolean     not null default false,
    schedule_interval_type   text        not null default 'Once'
        check (schedule_interval_type in ('Once', 'Minutes', 'Hours', 'Days', 'Weeks', 'Months', 'Cron')),
    schedule_interval_count  integer     not null default 1 check (schedule_interval_count > 0),
    schedule_start_time      timestamptz not null default '0001-01-01 00:00:00+00',
    schedule_end_time        timestamptz not null default '9999-12-31 23:59:59+00',
    schedule_cron            text,
    schedule_time_zone       text        not null default 'UTC',
    schedule_changed_at      timestamptz not null default now(),
    defined_in               text,       -- the file that wwi jobs sync made it from, else null
    definition_hash          text,       -- hash of that file's definition, for an idempotent sync
    version_txid             xid8,       -- the transaction that made job_version: edits in it do not bump again
    created_at               timestamptz not null default now(),
    updated_at               timestamptz not null default now(),
    check ((schedule_interval_type = 'Cron') = (schedule_cron is not null)),
    check (schedule_end_time > schedule_start_time)
);
comment on table jobs.job is 'Jobs: name, schedule and current version (an edit bumps the version; executions keep theirs)';

create table jobs.job_version (
    job_id       uuid        not null references jobs.job (job_id) on delete cascade,
    job_version  integer     not null,
    created_at   timestamptz not null default now(),
    primary key (job_id, job_version)
);
comment on table jobs.job_version is 'Every version of every job; jobstep holds the steps of each version';

create table jobs.jobstep (
    job_id                             uuid     not null,
    job_version                        integer  not null,
    step_id                            integer  not null check (step_id > 0),
    step_name                          text     not null check (step_name ~ '^\S.{0,127}$'),
    command_type                       text     not null default 'Sql' check (command_type in ('Sql', 'FlywayMigrations')),
    command_source                     text     not null default 'Inline' check (command_source = 'Inline'),
    command                            text     not null check (command <> ''),
    credential_name                    text,
    credential_parameters              text[]   not null default '{}',
    target_group_id                    uuid     not null,
    initial_retry_interval_seconds     integer  not null default 1 check (initial_retry_interval_seconds >= 1),
    maximum_retry_interval_seconds     integer  not null default 120,
    retry_interval_backoff_multiplier  real     not null default 2.0 check (retry_interval_backoff_multiplier >= 1.0),
    retry_attempts                     integer  not null default 10 check (retry_attempts >= 0),
    step_timeout_seconds               integer  not null default 43200 check (step_timeout_seconds > 0),
    output_type                        text     check (output_type = 'PostgresDatabase'),
    output_credential_name             text,
    output_server_name                 text,
    output_database_name               text,
    output_schema_name                 text     not null default 'public',
    output_table_name                  text,
    max_parallelism                    integer  check (max_parallelism > 0),
    primary key (job_id, job_version, step_id),
    unique (job_id, job_version, step_name),
    foreign key (job_id, job_version) references jobs.job_version (job_id, job_version) on delete cascade,
    check (maximum_retry_interval_seconds >= initial_retry_interval_seconds),
    check (output_type is null or (output_server_name is not null and output_database_name is not null
        and output_table_name is not null))
);
comment on table jobs.jobstep is 'Job steps of every job version: the command, its target group, credential, retries, time-out, parallelism and output';

-- Executions: a parent row per job execution, a row per step, a row per step and target database.
create table jobs.execution (
    job_execution_id  uuid        primary key default gen_random_uuid(),
    job_id            uuid        not null,
    job_version       integer     not null,
    lifecycle         text        not null default 'Created',
    requested_by      text        not null default 'sp_start_job',
    create_time       timestamptz not null default now(),
    start_time        timestamptz,
    end_time          timestamptz,
    last_message      text,
    current_step_id   integer,
    stop_requested    boolean     not null default false,
    foreign key (job_id, job_version) references jobs.job_version (job_id, job_version) on delete cascade,
    check (lifecycle in ('Created', 'InProgress', 'WaitingForChildJobExecutions', 'Succeeded',
        'SucceededWithSkipped', 'Failed', 'TimedOut', 'Canceled'))
);
create index execution_active_idx on jobs.execution (create_time)
    where lifecycle in ('Created', 'InProgress', 'WaitingForChildJobExecutions');
create index execution_job_idx on jobs.execution (job_id, create_time desc);
comment on table jobs.execution is 'Job executions (parent rows); sp_start_job adds one, an agent runs it';

create table jobs.step_execution (
    job_execution_id   uuid        not null references jobs.execution (job_execution_id) on delete cascade,
    step_id            integer     not null,
    lifecycle          text        not null default 'Created',
    target_group_name  text        not null,
    create_time        timestamptz not null default now(),
    start_time         timestamptz,
    end_time           timestamptz,
    last_message       text,
    primary key (job_execution_id, step_id),
    check (lifecycle in ('Created', 'InProgress', 'WaitingForChildJobExecutions', 'Succeeded',
        'SucceededWithSkipped', 'Failed', 'TimedOut', 'Canceled'))
);
comment on table jobs.step_execution is 'Step executions: one per step of a job execution that was reached';

create table jobs.target_execution (
    task_id                     bigint      generated always as identity primary key,
    job_execution_id            uuid        not null,
    step_id                     integer     not null,
    job_id                      uuid        not null,
    target_type                 text        not null default 'PostgresDatabase'
        check (target_type in ('PostgresDatabase', 'PostgresServer')),
    target_server_name          text        not null,
    target_database_name        text,
    target_elastic_pool_name    text,
    lifecycle                   text        not null default 'Created',
    create_time                 timestamptz not null default now(),
    start_time                  timestamptz,
    end_time                    timestamptz,
    current_attempts            integer     not null default 0,
    interrupted_attempts        integer     not null default 0,
    current_attempt_start_time  timestamptz,
    next_attempt_start_time     timestamptz,
    last_message                text,
    lease_owner                 text,
    lease_expires_at            timestamptz,
    foreign key (job_execution_id, step_id) references jobs.step_execution (job_execution_id, step_id) on delete cascade,
    unique (job_execution_id, step_id, target_server_name, target_database_name),
    check (lifecycle in ('Created', 'InProgress', 'WaitingForRetry', 'Succeeded', 'Failed', 'TimedOut',
        'Canceled', 'Skipped')),
    check (target_type = 'PostgresServer' or target_database_name is not null)
);
-- Never the same step on the same target twice at once: the agent skips a later execution's
-- target while another is in flight, and this index makes it impossible to get wrong.
create unique index target_execution_no_overlap_idx on jobs.target_execution
    (job_id, step_id, target_server_name, target_database_name)
    where lifecycle in ('InProgress', 'WaitingForRetry');
create index target_execution_open_idx on jobs.target_execution (job_execution_id, step_id)
    where lifecycle in ('Created', 'InProgress', 'WaitingForRetry');
create index target_execution_execution_idx on jobs.target_execution (job_execution_id, step_id, task_id);
comment on table jobs.target_execution is 'Target executions: one per step and target database, with attempts, retries and the lease of the agent running it';

-- The agents that run jobs (wwi agent, or an in-process executor), for status and leases.
create table jobs.agent (
    agent_id         text        primary key,
    host             text        not null,
    pid              bigint      not null,
    max_concurrency  integer     not null,
    started_at       timestamptz not null default now(),
    heartbeat_at     timestamptz not null default now(),
    stopped_at       timestamptz
);
comment on table jobs.agent is 'Elastic-jobs agents seen by this control database and their last heartbeat';
