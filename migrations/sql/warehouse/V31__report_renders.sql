-- Reports: every render of a dashboard by the agent, so that a dashboard is rendered once after
-- each successful run of the pipeline it depends on, and a failed refresh is on record while the
-- last good copy stays in place.

create table mart.report_render (
    render_id      bigint      generated always as identity primary key,
    dashboard      text        not null,
    after_pipeline text,                                 -- the pipeline whose run triggered it
    source_run_id  bigint,                               -- elt.run.run_id of that run
    started_at     timestamptz not null default clock_timestamp(),
    finished_at    timestamptz not null default clock_timestamp(),
    status         text        not null check (status in ('ok', 'failed')),
    file           text,                                 -- the page written (ok)
    message        text                                  -- why it failed (failed)
);
comment on table mart.report_render is 'Dashboard renders by wwi agent: one per successful pipeline run a dashboard depends on; failed refreshes keep the last good page';
create index report_render_dashboard_idx on mart.report_render (dashboard, render_id desc);
