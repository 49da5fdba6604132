-- The SQL API of elastic jobs, for DBAs in psql, with Azure's procedure and parameter names:
--   select jobs.sp_add_target_group(target_group_name => 'tenants');
--   select jobs.sp_start_job(job_name => 'tenant-telemetry');
-- Errors raise SQLSTATE P0001 with a message "Cannot <verb> <thing>: <value>" and a hint.
-- Changes notify channel wwi_jobs, so that agents react at once (they also poll).

create function jobs.fail(message text, hint text default null) returns void
    language plpgsql as $$
begin
    if hint is null then
        raise exception using message = message;
    end if;
    raise exception using message = message, hint = hint;
end $$;

create function jobs.check_lifecycle_final(lifecycle text) returns boolean
    language sql immutable as $$
    select lifecycle in ('Succeeded', 'SucceededWithSkipped', 'Failed', 'TimedOut', 'Canceled', 'Skipped')
$$;

create function jobs.job_id_of(job_name text, verb text) returns uuid
    language plpgsql stable as $$
declare
    id uuid;
begin
    select j.job_id into id from jobs.job j where j.job_name = job_id_of.job_name;
    if id is null then
        perform jobs.fail(format('Cannot %s job: %s does not exist', verb, job_name),
            'select job_name from jobs.jobs lists the jobs');
    end if;
    return id;
end $$;

create function jobs.check_credential(credential_name text, what text) returns void
    language plpgsql stable as $$
begin
    if credential_name is not null
            and not exists (select 1 from secrets.credential c where c.name = check_credential.credential_name) then
        perform jobs.fail(format('Cannot use credential %s as %s: it does not exist', credential_name, what),
            'add it with: wwi jobs credential add ' || credential_name || ' --identity ROLE (the secret is read from standard input)');
    end if;
end $$;

create function jobs.check_server(server_name text, verb text) returns void
    language plpgsql stable as $$
begin
    if not exists (select 1 from jobs.server s where s.server_name = check_server.server_name) then
        perform jobs.fail(format('Cannot %s: server %s is not registered', verb, coalesce(server_name, '(null)')),
            'register it with select jobs.sp_add_server(server_name => ..., host => ..., port => ...)');
    end if;
end $$;

-- Makes the job's current version editable in this transaction: the first edit of a transaction
-- copies the steps into a new version; later edits in the same transaction change that version.
create function jobs.edit_version(job_id uuid) returns integer
    language plpgsql as $$
declare
    v integer;
    t xid8;
begin
    select j.job_version, j.version_txid into v, t from jobs.job j where j.job_id = edit_version.job_id for update;
    if t = pg_current_xact_id() then
        return v;
    end if;
    insert into jobs.job_version (job_id, job_version) values (edit_version.job_id, v + 1);
    insert into jobs.jobstep (job_id, job_version, step_id, step_name, command_type, command_source, command,
            credential_name, credential_parameters, target_group_id, initial_retry_interval_seconds,
            maximum_retry_interval_seconds, retry_interval_backoff_multiplier, retry_attempts, step_timeout_seconds,
            output_type, output_credential_name, output_server_name, output_database_name, output_schema_name,
            output_table_name, max_parallelism)
        select s.job_id, v + 1, s.step_id, s.step_name, s.command_type, s.command_source, s.command,
            s.credential_name, s.credential_parameters, s.target_group_id, s.initial_retry_interval_seconds,
            s.maximum_retry_interval_seconds, s.retry_interval_backoff_multiplier, s.retry_attempts,
            s.step_timeout_seconds, s.output_type, s.output_credential_name, s.output_server_name,
            s.output_database_name, s.output_schema_name, s.output_table_name, s.max_parallelism
        from jobs.jobstep s where s.job_id = edit_version.job_id and s.job_version = v;
    update jobs.job j set job_version = v + 1, version_txid = pg_current_xact_id(), updated_at = now()
        where j.job_id = edit_version.job_id;
    return v + 1;
end $$;

------------------------------------------------------------------------------------------------
-- Servers and elastic pools (PostgreSQL analogues of Azure's logical servers and pools)
------------------------------------------------------------------------------------------------

create function jobs.sp_add_server(server_name text, host text, port integer default 5432,
                                   maintenance_database text default 'postgres') returns void
    language plpgsql as $$
begin
    if exists (select 1 from jobs.server s where s.server_name = sp_add_server.server_name) then
        perform jobs.fail(format('Cannot add server %s: it exists already', server_name),
            'change it with jobs.sp_update_server');
    end if;
    insert into jobs.server (server_name, host, port, maintenance_database)
        values (server_name, host, port, maintenance_database);
end $$;

create function jobs.sp_update_server(server_name text, new_name text default null, host text default null,
                                      port integer default null, maintenance_database text default null) returns void
    language plpgsql as $$
begin
    perform jobs.check_server(server_name, 'update server');
    update jobs.server s set server_name = coalesce(sp_update_server.new_name, s.server_name),
            host = coalesce(sp_update_server.host, s.host), port = coalesce(sp_update_server.port, s.port),
            maintenance_database = coalesce(sp_update_server.maintenance_database, s.maintenance_database),
            updated_at = now()
        where s.server_name = sp_update_server.server_name;
end $$;

create function jobs.sp_delete_server(server_name text) returns void
    language plpgsql as $$
begin
    perform jobs.check_server(server_name, 'delete server');
    if exists (select 1 from jobs.target_group_member m where m.server_name = sp_delete_server.server_name) then
        perform jobs.fail(format('Cannot delete server %s: target groups use it', server_name),
            'remove its members with jobs.sp_delete_target_group_member first');
    end if;
    delete from jobs.server s where s.server_name = sp_delete_server.server_name;
end $$;

create function jobs.sp_add_elastic_pool(server_name text, elastic_pool_name text,
                                         max_parallelism integer default null) returns void
    language plpgsql as $$
begin
    perform jobs.check_server(server_name, 'add elastic pool ' || coalesce(elastic_pool_name, '(null)'));
    if exists (select 1 from jobs.elastic_pool p where p.server_name = sp_add_elastic_pool.server_name
               and p.elastic_pool_name = sp_add_elastic_pool.elastic_pool_name) then
        perform jobs.fail(format('Cannot add elastic pool %s on server %s: it exists already', elastic_pool_name,
            server_name), 'change it with jobs.sp_update_elastic_pool');
    end if;
    insert into jobs.elastic_pool (server_name, elastic_pool_name, max_parallelism)
        values (server_name, elastic_pool_name, max_parallelism);
end $$;

-- max_parallelism => -1 removes the limit.
create function jobs.sp_update_elastic_pool(server_name text, elastic_pool_name text,
                                            max_parallelism integer default null) returns void
    language plpgsql as $$
begin
    update jobs.elastic_pool p set max_parallelism = case when sp_update_elastic_pool.max_parallelism = -1 then null
            else coalesce(sp_update_elastic_pool.max_parallelism, p.max_parallelism) end
        where p.server_name = sp_update_elastic_pool.server_name
          and p.elastic_pool_name = sp_update_elastic_pool.elastic_pool_name;
    if not found then
        perform jobs.fail(format('Cannot update elastic pool %s on server %s: it does not exist', elastic_pool_name,
            server_name), 'select * from jobs.elastic_pools lists the pools');
    end if;
end $$;

create function jobs.sp_delete_elastic_pool(server_name text, elastic_pool_name text) returns void
    language plpgsql as $$
begin
    if exists (select 1 from jobs.target_group_member m where m.server_name = sp_delete_elastic_pool.server_name
               and m.elastic_pool_name = sp_delete_elastic_pool.elastic_pool_name) then
        perform jobs.fail(format('Cannot delete elastic pool %s on server %s: target groups use it',
            elastic_pool_name, server_name), 'remove those members with jobs.sp_delete_target_group_member first');
    end if;
    delete from jobs.elastic_pool p where p.server_name = sp_delete_elastic_pool.server_name
        and p.elastic_pool_name = sp_delete_elastic_pool.elastic_pool_name;
    if not found then
        perform jobs.fail(format('Cannot delete elastic pool %s on server %s: it does not exist', elastic_pool_name,
            server_name));
    end if;
end $$;

create function jobs.sp_add_elastic_pool_database(server_name text, elastic_pool_name text, database_name text)
    returns void
    language plpgsql as $$
declare
    other text;
begin
    if not exists (select 1 from jobs.elastic_pool p where p.server_name = sp_add_elastic_pool_database.server_name
                   and p.elastic_pool_name = sp_add_elastic_pool_database.elastic_pool_name) then
        perform jobs.fail(format('Cannot add database %s to elastic pool %s: the pool does not exist on server %s',
            database_name, elastic_pool_name, server_name), 'add it with jobs.sp_add_elastic_pool');
    end if;
    select d.elastic_pool_name into other from jobs.elastic_pool_database d
        where d.server_name = sp_add_elastic_pool_database.server_name
          and d.database_name = sp_add_elastic_pool_database.database_name;
    if other = elastic_pool_name then
        return;
    elsif other is not null then
        perform jobs.fail(format('Cannot add database %s to elastic pool %s: it is in pool %s of server %s',
            database_name, elastic_pool_name, other, server_name),
            'a database is in one pool at most; remove it with jobs.sp_delete_elastic_pool_database first');
    end if;
    insert into jobs.elastic_pool_database (server_name, elastic_pool_name, database_name)
        values (server_name, elastic_pool_name, database_name);
end $$;

create function jobs.sp_delete_elastic_pool_database(server_name text, database_name text) returns void
    language plpgsql as $$
begin
    delete from jobs.elastic_pool_database d where d.server_name = sp_delete_elastic_pool_database.server_name
        and d.database_name = sp_delete_elastic_pool_database.database_name;
    if not found then
        perform jobs.fail(format('Cannot remove database %s from its pool: it is in no pool of server %s',
            database_name, server_name));
    end if;
end $$;

------------------------------------------------------------------------------------------------
-- Target groups
------------------------------------------------------------------------------------------------

create function jobs.sp_add_target_group(target_group_name text) returns uuid
    language plpgsql as $$
declare
    id uuid;
begin
    if exists (select 1 from jobs.target_group g where g.target_group_name = sp_add_target_group.target_group_name) then
        perform jobs.fail(format('Cannot add target group %s: it exists already', target_group_name));
    end if;
    insert into jobs.target_group (target_group_name) values (target_group_name) returning target_group_id into id;
    return id;
end $$;

create function jobs.sp_delete_target_group(target_group_name text, force boolean default false) returns void
    language plpgsql as $$
declare
    id uuid;
    job text;
begin
    select g.target_group_id into id from jobs.target_group g
        where g.target_group_name = sp_delete_target_group.target_group_name;
    if id is null then
        perform jobs.fail(format('Cannot delete target group %s: it does not exist', target_group_name));
    end if;
    select j.job_name into job from jobs.job j join jobs.jobstep s on s.job_id = j.job_id
        and s.job_version = j.job_version where s.target_group_id = id limit 1;
    if job is not null and not force then
        perform jobs.fail(format('Cannot delete target group %s: job %s uses it', target_group_name, job),
            'change or delete its steps first, or pass force => true');
    end if;
    delete from jobs.target_group g where g.target_group_id = id;
end $$;

create function jobs.sp_add_target_group_member(target_group_name text, membership_type text default 'Include',
                                                target_type text default null,
                                                refresh_credential_name text default null,
                                                server_name text default null, database_name text default null,
                                                elastic_pool_name text default null) returns uuid
    language plpgsql as $$
declare
    gid uuid;
    id uuid;
begin
    select g.target_group_id into gid from jobs.target_group g
        where g.target_group_name = sp_add_target_group_member.target_group_name;
    if gid is null then
        perform jobs.fail(format('Cannot add a member to target group %s: it does not exist', target_group_name),
            'add it with jobs.sp_add_target_group');
    end if;
    if membership_type is null or membership_type not in ('Include', 'Exclude') then
        perform jobs.fail(format('Cannot add a member to target group %s: membership_type %s is not Include or Exclude',
            target_group_name, coalesce(membership_type, 'null')));
    end if;
    if target_type is null or target_type not in ('PostgresServer', 'PostgresElasticPool', 'PostgresDatabase') then
        perform jobs.fail(format('Cannot add a member to target group %s: target_type %s is not PostgresServer, '
            'PostgresElasticPool or PostgresDatabase', target_group_name, coalesce(target_type, 'null')));
    end if;
    perform jobs.check_server(server_name, 'add a member to target group ' || target_group_name);
    if target_type = 'PostgresDatabase' and (database_name is null or elastic_pool_name is not null) then
        perform jobs.fail(format('Cannot add a PostgresDatabase member to target group %s: give database_name '
            '(and no elastic_pool_name)', target_group_name));
    elsif target_type = 'PostgresElasticPool' and (elastic_pool_name is null or database_name is not null) then
        perform jobs.fail(format('Cannot add a PostgresElasticPool member to target group %s: give '
            'elastic_pool_name (and no database_name)', target_group_name));
    elsif target_type = 'PostgresServer' and (database_name is not null or elastic_pool_name is not null) then
        perform jobs.fail(format('Cannot add a PostgresServer member to target group %s: give neither '
            'database_name nor elastic_pool_name (its databases are listed at run time)', target_group_name));
    end if;
    if target_type = 'PostgresElasticPool' and not exists (select 1 from jobs.elastic_pool p
            where p.server_name = sp_add_target_group_member.server_name
              and p.elastic_pool_name = sp_add_target_group_member.elastic_pool_name) then
        perform jobs.fail(format('Cannot add elastic pool %s to target group %s: the pool does not exist on server %s',
            elastic_pool_name, target_group_name, server_name), 'add it with jobs.sp_add_elastic_pool');
    end if;
    perform jobs.check_credential(refresh_credential_name, 'refresh credential');
    begin
        insert into jobs.target_group_member (target_group_id, membership_type, target_type, refresh_credential_name,
                server_name, database_name, elastic_pool_name)
            values (gid, membership_type, target_type, refresh_credential_name, server_name, database_name,
                elastic_pool_name)
            returning target_id into id;
    exception when unique_violation then
        perform jobs.fail(format('Cannot add %s %s to target group %s: it is a member already', target_type,
            concat_ws('/', server_name, coalesce(database_name, elastic_pool_name)), target_group_name),
            'delete the member first to change its membership_type');
    end;
    return id;
end $$;

create function jobs.sp_delete_target_group_member(target_group_name text, target_id uuid) returns void
    language plpgsql as $$
begin
    delete from jobs.target_group_member m using jobs.target_group g
        where m.target_group_id = g.target_group_id
          and g.target_group_name = sp_delete_target_group_member.target_group_name
          and m.target_id = sp_delete_target_group_member.target_id;
    if not found then
        perform jobs.fail(format('Cannot delete member %s of target group %s: there is no such member', target_id,
            target_group_name), 'select * from jobs.target_group_members lists them');
    end if;
end $$;

------------------------------------------------------------------------------------------------
-- Jobs
------------------------------------------------------------------------------------------------

create function jobs.check_schedule(job_name text, interval_type text, interval_count integer, start_time timestamptz,
                                    end_time timestamptz, cron text, time_zone text) returns void
    language plpgsql stable as $$
begin
    if interval_type not in ('Once', 'Minutes', 'Hours', 'Days', 'Weeks', 'Months', 'Cron') then
        perform jobs.fail(format('Cannot schedule job %s: schedule_interval_type %s is not Once, Minutes, Hours, '
            'Days, Weeks, Months or Cron', job_name, interval_type));
    end if;
    if interval_count is null or interval_count < 1 then
        perform jobs.fail(format('Cannot schedule job %s: schedule_interval_count must be 1 or more', job_name));
    end if;
    if end_time <= start_time then
        perform jobs.fail(format('Cannot schedule job %s: schedule_end_time %s is not after schedule_start_time %s',
            job_name, end_time, start_time));
    end if;
    if (interval_type = 'Cron') <> (cron is not null) then
        perform jobs.fail(format('Cannot schedule job %s: give schedule_cron with schedule_interval_type Cron, '
            'and only then', job_name));
    end if;
    if cron is not null and array_length(regexp_split_to_array(btrim(cron), '\s+'), 1) not in (6, 7) then
        perform jobs.fail(format('Cannot schedule job %s: schedule_cron %L is not a Quartz cron expression', job_name,
            cron), 'six or seven fields: seconds minutes hours day-of-month month day-of-week [year], '
            'e.g. ''0 0 3 * * ?'' for 03:00 every day');
    end if;
    if not exists (select 1 from pg_timezone_names z where z.name = time_zone) then
        perform jobs.fail(format('Cannot schedule job %s: time zone %s is unknown', job_name, time_zone),
            'use an IANA name such as UTC or Europe/London');
    end if;
end $$;

create function jobs.sp_add_job(job_name text, description text default '', enabled boolean default false,
                                schedule_interval_type text default 'Once', schedule_interval_count integer default 1,
                                schedule_start_time timestamptz default '0001-01-01 00:00:00+00',
                                schedule_end_time timestamptz default '9999-12-31 23:59:59+00',
                                schedule_cron text default null, schedule_time_zone text default 'UTC') returns uuid
    language plpgsql as $$
declare
    id uuid;
    itype text := case when schedule_cron is not null and schedule_interval_type = 'Once' then 'Cron'
                       else schedule_interval_type end;
begin
    if job_name is null or job_name !~ '^\S.{0,127}$' then
        perform jobs.fail(format('Cannot add job: name %L is not valid', job_name),
            '1 to 128 characters, not starting with a space');
    end if;
    if exists (select 1 from jobs.job j where j.job_name = sp_add_job.job_name) then
        perform jobs.fail(format('Cannot add job %s: it exists already', job_name),
            'change it with jobs.sp_update_job, or delete it with jobs.sp_delete_job');
    end if;
    perform jobs.check_schedule(job_name, itype, schedule_interval_count, schedule_start_time, schedule_end_time,
        schedule_cron, schedule_time_zone);
    insert into jobs.job (job_name, description, enabled, schedule_interval_type, schedule_interval_count,
            schedule_start_time, schedule_end_time, schedule_cron, schedule_time_zone, version_txid)
        values (job_name, coalesce(description, ''), coalesce(enabled, false), itype, schedule_interval_count,
            schedule_start_time, schedule_end_time, schedule_cron, schedule_time_zone, pg_current_xact_id())
        returning job_id into id;
    insert into jobs.job_version (job_id, job_version) values (id, 1);
    perform pg_notify('wwi_jobs', 'job:' || id);
    return id;
end $$;

-- Arguments left null keep their value; schedule_cron => '' removes a cron schedule.
create function jobs.sp_update_job(job_name text, new_name text default null, description text default null,
                                   enabled boolean default null, schedule_interval_type text default null,
                                   schedule_interval_count integer default null,
                                   schedule_start_time timestamptz default null,
                                   schedule_end_time timestamptz default null, schedule_cron text default null,
                                   schedule_time_zone text default null) returns integer
    language plpgsql as $$
declare
    id uuid := jobs.job_id_of(job_name, 'update');
    j jobs.job;
    n jobs.job;
    v integer;
begin
    select * into j from jobs.job x where x.job_id = id for update;
    n := j;
    n.job_name := coalesce(new_name, j.job_name);
    n.description := coalesce(description, j.description);
    n.enabled := coalesce(enabled, j.enabled);
    n.schedule_interval_type := coalesce(schedule_interval_type,
        case when schedule_cron = '' and j.schedule_interval_type = 'Cron' then 'Once'
             when nullif(schedule_cron, '') is not null then 'Cron'
             else j.schedule_interval_type end);
    n.schedule_cron := case when schedule_cron = '' then null else coalesce(schedule_cron, j.schedule_cron) end;
    if n.schedule_interval_type <> 'Cron' then
        n.schedule_cron := null;
    end if;
    n.schedule_interval_count := coalesce(schedule_interval_count, j.schedule_interval_count);
    n.schedule_start_time := coalesce(schedule_start_time, j.schedule_start_time);
    n.schedule_end_time := coalesce(schedule_end_time, j.schedule_end_time);
    n.schedule_time_zone := coalesce(schedule_time_zone, j.schedule_time_zone);
    if n.job_name !~ '^\S.{0,127}$' then
        perform jobs.fail(format('Cannot rename job %s: name %L is not valid', job_name, n.job_name));
    end if;
    if n.job_name <> j.job_name and exists (select 1 from jobs.job x where x.job_name = n.job_name) then
        perform jobs.fail(format('Cannot rename job %s to %s: that name is taken', job_name, n.job_name));
    end if;
    perform jobs.check_schedule(n.job_name, n.schedule_interval_type, n.schedule_interval_count,
        n.schedule_start_time, n.schedule_end_time, n.schedule_cron, n.schedule_time_zone);
    if (n.job_name, n.description, n.schedule_interval_type, n.schedule_interval_count, n.schedule_start_time,
            n.schedule_end_time, n.schedule_cron, n.schedule_time_zone)
        is not distinct from (j.job_name, j.description, j.schedule_interval_type, j.schedule_interval_count,
            j.schedule_start_time, j.schedule_end_time, j.schedule_cron, j.schedule_time_zone) then
        v := j.job_version; -- enabling or disabling alone is not a new version
    else
        v := jobs.edit_version(id);
    end if;
    update jobs.job x set job_name = n.job_name, description = n.description, enabled = n.enabled,
            schedule_interval_type = n.schedule_interval_type, schedule_interval_count = n.schedule_interval_count,
            schedule_start_time = n.schedule_start_time, schedule_end_time = n.schedule_end_time,
            schedule_cron = n.schedule_cron, schedule_time_zone = n.schedule_time_zone,
            schedule_changed_at = case when (n.enabled, n.schedule_interval_type, n.schedule_interval_count,
                    n.schedule_start_time, n.schedule_end_time, n.schedule_cron, n.schedule_time_zone)
                is not distinct from (j.enabled, j.schedule_interval_type, j.schedule_interval_count,
                    j.schedule_start_time, j.schedule_end_time, j.schedule_cron, j.schedule_time_zone)
                then j.schedule_changed_at else now() end,
            updated_at = now()
        where x.job_id = id;
    perform pg_notify('wwi_jobs', 'job:' || id);
    return v;
end $$;

create function jobs.sp_delete_job(job_name text, force boolean default false) returns void
    language plpgsql as $$
declare
    id uuid := jobs.job_id_of(job_name, 'delete');
begin
    if exists (select 1 from jobs.execution e where e.job_id = id
               and e.lifecycle in ('Created', 'InProgress', 'WaitingForChildJobExecutions')) then
        if not force then
            perform jobs.fail(format('Cannot delete job %s: it has executions in progress', job_name),
                'stop them with jobs.sp_stop_job, or pass force => true (the agents then cancel them)');
        end if;
    end if;
    delete from jobs.job j where j.job_id = id;
    perform pg_notify('wwi_jobs', 'job:' || id);
end $$;

------------------------------------------------------------------------------------------------
-- Job steps
------------------------------------------------------------------------------------------------

create function jobs.step_id_of(job_id uuid, version integer, job_name text, step_id integer, step_name text,
                                verb text) returns integer
    language plpgsql stable as $$
declare
    id integer;
begin
    if step_id is null and step_name is null then
        perform jobs.fail(format('Cannot %s a step of job %s: give step_id or step_name', verb, job_name));
    end if;
    select s.step_id into id from jobs.jobstep s where s.job_id = step_id_of.job_id and s.job_version = version
        and (step_id_of.step_id is null or s.step_id = step_id_of.step_id)
        and (step_id_of.step_name is null or s.step_name = step_id_of.step_name);
    if id is null then
        perform jobs.fail(format('Cannot %s step %s of job %s: there is no such step', verb,
            coalesce(step_name, step_id::text), job_name), 'select * from jobs.jobsteps lists them');
    end if;
    return id;
end $$;

create function jobs.check_step(s jobs.jobstep, job_name text) returns void
    language plpgsql stable as $$
declare
    c text;
begin
    perform jobs.check_credential(s.credential_name, 'credential of step ' || s.step_name);
    perform jobs.check_credential(s.output_credential_name, 'output credential of step ' || s.step_name);
    foreach c in array s.credential_parameters loop
        perform jobs.check_credential(c, 'parameter of step ' || s.step_name);
    end loop;
    if s.output_type is not null then
        perform jobs.check_server(s.output_server_name, 'write the output of step ' || s.step_name || ' of job '
            || job_name);
        if s.output_table_name is null or s.output_database_name is null then
            perform jobs.fail(format('Cannot write the output of step %s of job %s: give output_database_name and '
                'output_table_name', s.step_name, job_name));
        end if;
    end if;
    if s.maximum_retry_interval_seconds < s.initial_retry_interval_seconds then
        perform jobs.fail(format('Cannot use step %s of job %s: maximum_retry_interval_seconds %s is below '
            'initial_retry_interval_seconds %s', s.step_name, job_name, s.maximum_retry_interval_seconds,
            s.initial_retry_interval_seconds));
    end if;
end $$;

create function jobs.target_group_id_of(target_group_name text, what text) returns uuid
    language plpgsql stable as $$
declare
    id uuid;
begin
    select g.target_group_id into id from jobs.target_group g
        where g.target_group_name = target_group_id_of.target_group_name;
    if id is null then
        perform jobs.fail(format('Cannot %s: target group %s does not exist', what,
            coalesce(target_group_name, '(null)')), 'add it with jobs.sp_add_target_group');
    end if;
    return id;
end $$;

create function jobs.sp_add_jobstep(job_name text, step_id integer default null, step_name text default null,
                                    command_type text default 'Sql', command_source text default 'Inline',
                                    command text default null, credential_name text default null,
                                    target_group_name text default null,
                                    initial_retry_interval_seconds integer default 1,
                                    maximum_retry_interval_seconds integer default 120,
                                    retry_interval_backoff_multiplier real default 2.0,
                                    retry_attempts integer default 10, step_timeout_seconds integer default 43200,
                                    output_type text default null, output_credential_name text default null,
                                    output_server_name text default null, output_database_name text default null,
                                    output_schema_name text default 'public', output_table_name text default null,
                                    max_parallelism integer default null,
                                    credential_parameters text[] default '{}') returns integer
    language plpgsql as $$
declare
    id uuid := jobs.job_id_of(job_name, 'add a step to');
    v integer;
    n integer;
    s jobs.jobstep;
begin
    if command is null or command = '' then
        perform jobs.fail(format('Cannot add a step to job %s: command is empty', job_name));
    end if;
    v := jobs.edit_version(id);
    select count(*) into n from jobs.jobstep x where x.job_id = id and x.job_version = v;
    if step_id is not null and (step_id < 1 or step_id > n + 1) then
        perform jobs.fail(format('Cannot add step %s to job %s: step_id must be between 1 and %s', step_id, job_name,
            n + 1));
    end if;
    s.job_id := id;
    s.job_version := v;
    s.step_id := coalesce(step_id, n + 1);
    s.step_name := coalesce(step_name, case when exists (select 1 from jobs.jobstep x where x.job_id = id
        and x.job_version = v and x.step_name = 'JobStep') then 'JobStep' || s.step_id else 'JobStep' end);
    if exists (select 1 from jobs.jobstep x where x.job_id = id and x.job_version = v and x.step_name = s.step_name) then
        perform jobs.fail(format('Cannot add step %s to job %s: a step has that name already', s.step_name, job_name));
    end if;
    s.command_type := command_type;
    s.command_source := command_source;
    s.command := command;
    s.credential_name := credential_name;
    s.credential_parameters := coalesce(credential_parameters, '{}');
    s.target_group_id := jobs.target_group_id_of(target_group_name, 'add step ' || s.step_name || ' to job ' || job_name);
    s.initial_retry_interval_seconds := initial_retry_interval_seconds;
    s.maximum_retry_interval_seconds := maximum_retry_interval_seconds;
    s.retry_interval_backoff_multiplier := retry_interval_backoff_multiplier;
    s.retry_attempts := retry_attempts;
    s.step_timeout_seconds := step_timeout_seconds;
    s.output_type := case when output_type is null and output_table_name is not null then 'PostgresDatabase'
                          else output_type end;
    s.output_credential_name := output_credential_name;
    s.output_server_name := output_server_name;
    s.output_database_name := output_database_name;
    s.output_schema_name := coalesce(output_schema_name, 'public');
    s.output_table_name := output_table_name;
    s.max_parallelism := max_parallelism;
    perform jobs.check_step(s, job_name);
    -- make room: shift later steps up (in two moves, so that the primary key never collides)
    update jobs.jobstep x set step_id = x.step_id + 1000000 where x.job_id = id and x.job_version = v
        and x.step_id >= s.step_id;
    update jobs.jobstep x set step_id = x.step_id - 1000000 + 1 where x.job_id = id and x.job_version = v
        and x.step_id > 1000000;
    insert into jobs.jobstep select s.*;
    perform pg_notify('wwi_jobs', 'job:' || id);
    return v;
end $$;

-- Arguments left null keep their value; '' clears an optional text (credential_name, output_*),
-- -1 clears max_parallelism.
create function jobs.sp_update_jobstep(job_name text, step_id integer default null, step_name text default null,
                                       new_id integer default null, new_name text default null,
                                       command_type text default null, command_source text default null,
                                       command text default null, credential_name text default null,
                                       target_group_name text default null,
                                       initial_retry_interval_seconds integer default null,
                                       maximum_retry_interval_seconds integer default null,
                                       retry_interval_backoff_multiplier real default null,
                                       retry_attempts integer default null,
                                       step_timeout_seconds integer default null,
                                       output_type text default null, output_credential_name text default null,
                                       output_server_name text default null, output_database_name text default null,
                                       output_schema_name text default null, output_table_name text default null,
                                       max_parallelism integer default null,
                                       credential_parameters text[] default null) returns integer
    language plpgsql as $$
declare
    id uuid := jobs.job_id_of(job_name, 'update a step of');
    v integer;
    sid integer;
    n integer;
    s jobs.jobstep;
begin
    v := jobs.edit_version(id);
    sid := jobs.step_id_of(id, v, job_name, step_id, step_name, 'update');
    select * into s from jobs.jobstep x where x.job_id = id and x.job_version = v and x.step_id = sid;
    s.step_name := coalesce(new_name, s.step_name);
    s.command_type := coalesce(command_type, s.command_type);
    s.command_source := coalesce(command_source, s.command_source);
    s.command := coalesce(command, s.command);
    s.credential_name := case when credential_name = '' then null else coalesce(credential_name, s.credential_name) end;
    s.credential_parameters := coalesce(credential_parameters, s.credential_parameters);
    if target_group_name is not null then
        s.target_group_id := jobs.target_group_id_of(target_group_name, 'update step ' || s.step_name || ' of job '
            || job_name);
    end if;
    s.initial_retry_interval_seconds := coalesce(initial_retry_interval_seconds, s.initial_retry_interval_seconds);
    s.maximum_retry_interval_seconds := coalesce(maximum_retry_interval_seconds, s.maximum_retry_interval_seconds);
    s.retry_interval_backoff_multiplier := coalesce(retry_interval_backoff_multiplier,
        s.retry_interval_backoff_multiplier);
    s.retry_attempts := coalesce(retry_attempts, s.retry_attempts);
    s.step_timeout_seconds := coalesce(step_timeout_seconds, s.step_timeout_seconds);
    s.output_type := case when output_type = '' then null else coalesce(output_type, s.output_type) end;
    s.output_credential_name := case when output_credential_name = '' then null
        else coalesce(output_credential_name, s.output_credential_name) end;
    s.output_server_name := case when output_server_name = '' then null
        else coalesce(output_server_name, s.output_server_name) end;
    s.output_database_name := case when output_database_name = '' then null
        else coalesce(output_database_name, s.output_database_name) end;
    s.output_schema_name := coalesce(nullif(output_schema_name, ''), s.output_schema_name);
    s.output_table_name := case when output_table_name = '' then null
        else coalesce(output_table_name, s.output_table_name) end;
    if s.output_type is null and output_table_name is not null and output_table_name <> '' then
        s.output_type := 'PostgresDatabase';
    end if;
    s.max_parallelism := case when max_parallelism = -1 then null else coalesce(max_parallelism, s.max_parallelism) end;
    perform jobs.check_step(s, job_name);
    if new_name is not null and exists (select 1 from jobs.jobstep x where x.job_id = id and x.job_version = v
            and x.step_name = new_name and x.step_id <> sid) then
        perform jobs.fail(format('Cannot rename step %s of job %s to %s: a step has that name already',
            coalesce(step_name, sid::text), job_name, new_name));
    end if;
    delete from jobs.jobstep x where x.job_id = id and x.job_version = v and x.step_id = sid;
    if new_id is not null and new_id <> sid then
        select count(*) into n from jobs.jobstep x where x.job_id = id and x.job_version = v;
        if new_id < 1 or new_id > n + 1 then
            perform jobs.fail(format('Cannot move step %s of job %s to %s: new_id must be between 1 and %s',
                s.step_name, job_name, new_id, n + 1));
        end if;
        update jobs.jobstep x set step_id = x.step_id + 1000000 where x.job_id = id and x.job_version = v
            and x.step_id > sid;
        update jobs.jobstep x set step_id = x.step_id - 1000000 - 1 where x.job_id = id and x.job_version = v
            and x.step_id > 1000000;
        update jobs.jobstep x set step_id = x.step_id + 1000000 where x.job_id = id and x.job_version = v
            and x.step_id >= new_id;
        update jobs.jobstep x set step_id = x.step_id - 1000000 + 1 where x.job_id = id and x.job_version = v
            and x.step_id > 1000000;
        s.step_id := new_id;
    end if;
    insert into jobs.jobstep select s.*;
    perform pg_notify('wwi_jobs', 'job:' || id);
    return v;
end $$;

create function jobs.sp_delete_jobstep(job_name text, step_id integer default null, step_name text default null)
    returns integer
    language plpgsql as $$
declare
    id uuid := jobs.job_id_of(job_name, 'delete a step of');
    v integer;
    sid integer;
begin
    v := jobs.edit_version(id);
    sid := jobs.step_id_of(id, v, job_name, step_id, step_name, 'delete');
    delete from jobs.jobstep x where x.job_id = id and x.job_version = v and x.step_id = sid;
    update jobs.jobstep x set step_id = x.step_id + 1000000 where x.job_id = id and x.job_version = v
        and x.step_id > sid;
    update jobs.jobstep x set step_id = x.step_id - 1000000 - 1 where x.job_id = id and x.job_version = v
        and x.step_id > 1000000;
    perform pg_notify('wwi_jobs', 'job:' || id);
    return v;
end $$;

------------------------------------------------------------------------------------------------
-- Executions
------------------------------------------------------------------------------------------------

create function jobs.start_execution(job_id uuid, requested_by text) returns uuid
    language plpgsql as $$
declare
    j jobs.job;
    eid uuid;
begin
    select * into j from jobs.job x where x.job_id = start_execution.job_id;
    if not exists (select 1 from jobs.jobstep s where s.job_id = j.job_id and s.job_version = j.job_version) then
        perform jobs.fail(format('Cannot start job %s: it has no steps', j.job_name),
            'add one with jobs.sp_add_jobstep');
    end if;
    insert into jobs.execution (job_id, job_version, requested_by) values (j.job_id, j.job_version, requested_by)
        returning job_execution_id into eid;
    perform pg_notify('wwi_jobs', 'start:' || eid);
    return eid;
end $$;

create function jobs.sp_start_job(job_name text) returns uuid
    language sql as $$
    select jobs.start_execution(jobs.job_id_of(job_name, 'start'), 'sp_start_job')
$$;

create function jobs.sp_stop_job(job_execution_id uuid) returns void
    language plpgsql as $$
declare
    e jobs.execution;
begin
    select * into e from jobs.execution x where x.job_execution_id = sp_stop_job.job_execution_id for update;
    if e.job_execution_id is null then
        perform jobs.fail(format('Cannot stop job execution %s: it does not exist', job_execution_id),
            'select * from jobs.job_executions where is_active lists the running ones');
    end if;
    if jobs.check_lifecycle_final(e.lifecycle) then
        raise notice 'job execution % has ended already (%)', job_execution_id, e.lifecycle;
        return;
    end if;
    update jobs.execution x set stop_requested = true where x.job_execution_id = e.job_execution_id;
    update jobs.target_execution t set lifecycle = 'Canceled', end_time = now(), lease_owner = null,
            lease_expires_at = null, next_attempt_start_time = null,
            last_message = 'Canceled by jobs.sp_stop_job before ' || case when t.current_attempts = 0
                then 'it started' else 'attempt ' || (t.current_attempts + 1) end
        where t.job_execution_id = e.job_execution_id and t.lifecycle in ('Created', 'WaitingForRetry');
    if e.lifecycle = 'Created' then
        update jobs.execution x set lifecycle = 'Canceled', end_time = now(),
                last_message = 'Canceled by jobs.sp_stop_job before it started'
            where x.job_execution_id = e.job_execution_id;
    end if;
    perform pg_notify('wwi_jobs', 'stop:' || e.job_execution_id);
end $$;

create function jobs.sp_purge_jobhistory(job_name text, oldest_date timestamptz default null) returns bigint
    language plpgsql as $$
declare
    id uuid := jobs.job_id_of(job_name, 'purge the history of');
    n bigint;
begin
    delete from jobs.execution e where e.job_id = id and jobs.check_lifecycle_final(e.lifecycle)
        and (oldest_date is null or e.create_time < oldest_date);
    get diagnostics n = row_count;
    return n;
end $$;

revoke execute on all functions in schema jobs from public;
