-- Loyalty tiers of each tenant's customers. Idempotent, like every elastic-job script:
-- a target may run it again after an agent crash.
create table if not exists customer_loyalty (
    customer_id  bigint      primary key,
    tier         text        not null default 'Bronze' check (tier in ('Bronze', 'Silver', 'Gold')),
    points       integer     not null default 0 check (points >= 0),
    updated_at   timestamptz not null default now()
);
