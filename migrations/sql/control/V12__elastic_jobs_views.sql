-- The views of elastic jobs, with the names and columns of Azure's job database.

create view jobs.jobs as
select j.job_name, j.job_id, j.job_version, j.description, j.enabled, j.schedule_interval_type,
       j.schedule_interval_count, j.schedule_start_time, j.schedule_end_time, j.schedule_cron,
       j.schedule_time_zone, j.defined_in
from jobs.job j;
comment on view jobs.jobs is 'Jobs with their current version and schedule';

create view jobs.job_versions as
select j.job_name, v.job_id, v.job_version, v.created_at
from jobs.job_version v join jobs.job j on j.job_id = v.job_id;

create view jobs.jobstep_versions as
select j.job_name, s.job_id, s.job_version, s.step_id, s.step_name, s.command_type, s.command_source, s.command,
       s.credential_name, g.target_group_name, s.target_group_id, s.initial_retry_interval_seconds,
       s.maximum_retry_interval_seconds, s.retry_interval_backoff_multiplier, s.retry_attempts,
       s.step_timeout_seconds, s.output_type, s.output_credential_name, s.output_server_name,
       s.output_database_name, s.output_schema_name, s.output_table_name, s.max_parallelism,
       s.credential_parameters
from jobs.jobstep s
join jobs.job j on j.job_id = s.job_id
left join jobs.target_group g on g.target_group_id = s.target_group_id;

create view jobs.jobsteps as
select v.* from jobs.jobstep_versions v join jobs.job j on j.job_id = v.job_id and j.job_version = v.job_version;
comment on view jobs.jobsteps is 'The steps of the current version of each job';

create view jobs.target_groups as
select g.target_group_name, g.target_group_id from jobs.target_group g;

create view jobs.target_group_members as
select g.target_group_name, g.target_group_id, m.membership_type, m.target_type, m.target_id,
       m.refresh_credential_name, m.server_name, m.database_name, m.elastic_pool_name
from jobs.target_group_member m join jobs.target_group g on g.target_group_id = m.target_group_id;

create view jobs.servers as
select s.server_name, s.host, s.port, s.maintenance_database from jobs.server s;

create view jobs.elastic_pools as
select p.server_name, p.elastic_pool_name, p.max_parallelism,
       (select count(*) from jobs.elastic_pool_database d where d.server_name = p.server_name
          and d.elastic_pool_name = p.elastic_pool_name) as database_count
from jobs.elastic_pool p;

create view jobs.elastic_pool_databases as
select d.server_name, d.elastic_pool_name, d.database_name from jobs.elastic_pool_database d;

-- One row for the job execution (step_id null), one per step reached (target_type TargetGroup),
-- and one per step and target database (target_type PostgresDatabase), as in Azure.
create view jobs.job_executions as
select e.job_execution_id, j.job_name, e.job_id, e.job_version, null::text as step_name, null::integer as step_id,
       not jobs.check_lifecycle_final(e.lifecycle) as is_active, e.lifecycle, e.create_time, e.start_time,
       e.end_time, null::integer as current_attempts, null::timestamptz as current_attempt_start_time,
       null::timestamptz as next_attempt_start_time, e.last_message, null::text as target_type,
       null::text as target_group_name, null::text as target_server_name, null::text as target_database_name,
       null::text as target_elastic_pool_name, null::bigint as task_id, null::text as agent_id
from jobs.execution e join jobs.job j on j.job_id = e.job_id
union all
select s.job_execution_id, j.job_name, e.job_id, e.job_version, js.step_name, s.step_id,
       not jobs.check_lifecycle_final(s.lifecycle), s.lifecycle, s.create_time, s.start_time, s.end_time,
       null, null, null, s.last_message, 'TargetGroup', s.target_group_name, null, null, null, null, null
from jobs.step_execution s
join jobs.execution e on e.job_execution_id = s.job_execution_id
join jobs.job j on j.job_id = e.job_id
left join jobs.jobstep js on js.job_id = e.job_id and js.job_version = e.job_version and js.step_id = s.step_id
union all
select t.job_execution_id, j.job_name, e.job_id, e.job_version, js.step_name, t.step_id,
       not jobs.check_lifecycle_final(t.lifecycle), t.lifecycle, t.create_time, t.start_time, t.end_time,
       t.current_attempts, t.current_attempt_start_time, t.next_attempt_start_time, t.last_message, t.target_type,
       s.target_group_name, t.target_server_name, t.target_database_name, t.target_elastic_pool_name, t.task_id,
       t.lease_owner
from jobs.target_execution t
join jobs.step_execution s on s.job_execution_id = t.job_execution_id and s.step_id = t.step_id
join jobs.execution e on e.job_execution_id = t.job_execution_id
join jobs.job j on j.job_id = e.job_id
left join jobs.jobstep js on js.job_id = e.job_id and js.job_version = e.job_version and js.step_id = t.step_id;
comment on view jobs.job_executions is 'Job executions: the job, each step, and each step on each target, with Azure''s lifecycle values';

create view jobs.agents as
select a.agent_id, a.host, a.pid, a.max_concurrency, a.started_at, a.heartbeat_at, a.stopped_at,
       a.stopped_at is null and a.heartbeat_at > now() - interval '1 minute' as is_alive
from jobs.agent a;
