-- jobs.sp_purge_jobhistory by job_id as well as by job_name, as in Azure:
--   select jobs.sp_purge_jobhistory(job_id => '…', oldest_date => now() - interval '30 days');
-- (a bare string literal still means a job name: text is preferred over uuid for unknown literals)
create function jobs.sp_purge_jobhistory(job_id uuid, oldest_date timestamptz default null) returns bigint
    language plpgsql as $$
declare
    n bigint;
begin
    if not exists (select 1 from jobs.job j where j.job_id = sp_purge_jobhistory.job_id) then
        perform jobs.fail(format('Cannot purge the history of job: job_id %s does not exist', job_id),
            'select job_name, job_id from jobs.jobs lists the jobs');
    end if;
    delete from jobs.execution e where e.job_id = sp_purge_jobhistory.job_id
        and jobs.check_lifecycle_final(e.lifecycle) and (oldest_date is null or e.create_time < oldest_date);
    get diagnostics n = row_count;
    return n;
end $$;
revoke execute on function jobs.sp_purge_jobhistory(uuid, timestamptz) from public;
