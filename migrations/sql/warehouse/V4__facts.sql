-- Facts, partitioned by month on their timestamp. Month partitions are created ahead by
-- dw.ensure_month_partitions(); rows outside them land in the default partition and are
-- moved out when their month is created.

create function dw.partition_column(parent regclass) returns text
language sql stable as $$
    select quote_ident(a.attname)
    from pg_partitioned_table p
    join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
    where p.partrelid = parent
$$;

create function dw.ensure_month_partitions(parent regclass, from_date date, to_date date)
returns integer
language plpgsql as $$
declare
    m             date := date_trunc('month', from_date)::date;
    last_month    date := date_trunc('month', to_date)::date;
    created       integer := 0;
    part_name     text;
    parent_schema text;
    parent_name   text;
    default_part  text;
    part_col      text := dw.partition_column(parent);
    cols          text;
begin
    select n.nspname, c.relname into parent_schema, parent_name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = parent;
    default_part := format('%I.%I', parent_schema, parent_name || '_default');
    select string_agg(quote_ident(attname), ', ' order by attnum) into cols
    from pg_attribute where attrelid = parent and attnum > 0 and not attisdropped and attgenerated = '';
    while m <= last_month loop
        part_name := parent_name || '_' || to_char(m, 'YYYYMM');
        if to_regclass(format('%I.%I', parent_schema, part_name)) is null then
            -- rows of that month in the default partition would make CREATE fail: move them
            execute format('create temp table _wwi_moved on commit drop as select %s from %s limit 0',
                           cols, default_part);
            execute format('with d as (delete from %s where %s >= %L and %s < %L returning %s) '
                           'insert into _wwi_moved select * from d',
                           default_part, part_col, m, part_col, (m + interval '1 month')::date, cols);
            execute format('create table %I.%I partition of %s for values from (%L) to (%L)',
                           parent_schema, part_name, parent, m, (m + interval '1 month')::date);
            execute format('insert into %s (%s) select %s from _wwi_moved', parent, cols, cols);
            drop table _wwi_moved;
            created := created + 1;
        end if;
        m := (m + interval '1 month')::date;
    end loop;
    return created;
end $$;

comment on function dw.ensure_month_partitions(regclass, date, date) is
    'Creates the missing monthly partitions of a fact between two dates; returns how many it created';

create sequence dw.fact_web_event_id_seq;

create table dw.fact_web_event (
    event_id           bigint        not null default nextval('dw.fact_web_event_id_seq'),
    event_ts           timestamptz   not null,
    date_key           integer       not null references dw.dim_date (date_key),
    session_id         text          not null,
    customer_key       bigint        not null references dw.dim_customer (customer_key),
    user_id            integer       not null,
    product_key        bigint        not null references dw.dim_product (product_key),
    product_id         integer       not null,
    channel_key        smallint      not null references dw.dim_channel (channel_key),
    action             text          not null check (action in ('Browsed', 'Add To Cart', 'Purchased')),
    action_points      smallint      generated always as (
                           case action when 'Browsed' then 30 when 'Add To Cart' then 70 else 100 end) stored,
    quantity           integer       not null check (quantity >= 0),
    price              numeric(10,2) not null,
    total              numeric(12,2) not null,
    referral_url       text,
    page_stop_seconds  integer       check (page_stop_seconds >= 0),
    source_file        text,          -- lineage: the file the row came from
    load_run_id        bigint,        -- lineage: the ELT run that loaded it
    primary key (event_id, event_ts)
) partition by range (event_ts);
alter sequence dw.fact_web_event_id_seq owned by dw.fact_web_event.event_id;

comment on table dw.fact_web_event is 'One row per web/mobile event (Browsed 30, Add To Cart 70, Purchased 100 action points)';

create table dw.fact_web_event_default partition of dw.fact_web_event default;
create index fact_web_event_date_product_idx on dw.fact_web_event (date_key, product_key);
create index fact_web_event_customer_idx on dw.fact_web_event (customer_key);
create index fact_web_event_session_idx on dw.fact_web_event (session_id);
create index fact_web_event_source_idx on dw.fact_web_event (source_file);

create sequence dw.fact_sales_id_seq;

create table dw.fact_sales (
    sale_line_id   bigint        not null default nextval('dw.fact_sales_id_seq'),
    sale_ts        timestamptz   not null,
    date_key       integer       not null references dw.dim_date (date_key),
    order_id       text          not null,   -- web/mobile: the session; store: the store sale id
    customer_key   bigint        not null references dw.dim_customer (customer_key),
    product_key    bigint        not null references dw.dim_product (product_key),
    channel_key    smallint      not null references dw.dim_channel (channel_key),
    quantity       integer       not null check (quantity > 0),
    unit_price     numeric(10,2) not null,
    total          numeric(12,2) not null,
    source_file    text,
    load_run_id    bigint,
    primary key (sale_line_id, sale_ts)
) partition by range (sale_ts);
alter sequence dw.fact_sales_id_seq owned by dw.fact_sales.sale_line_id;

comment on table dw.fact_sales is 'Sales lines of every channel: web and mobile purchases, retail store sales';

create table dw.fact_sales_default partition of dw.fact_sales default;
create index fact_sales_date_product_idx on dw.fact_sales (date_key, product_key);
create index fact_sales_customer_idx on dw.fact_sales (customer_key);
create index fact_sales_channel_idx on dw.fact_sales (channel_key, date_key);

-- months of the shipped sample data and around it; later months are added by the loads
select dw.ensure_month_partitions('dw.fact_web_event', date '2026-01-01', date '2027-12-31');
select dw.ensure_month_partitions('dw.fact_sales', date '2026-01-01', date '2027-12-31');
