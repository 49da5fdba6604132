-- Calendar dimension, generated. Wide World Importers' fiscal year starts on 1 November:
-- November 2025 belongs to fiscal year 2026, fiscal Q1 = Nov-Jan, Q2 = Feb-Apr, Q3 = May-Jul, Q4 = Aug-Oct.
create table dw.dim_date (
    date_key        integer     primary key,          -- yyyymmdd
    date            date        not null unique,
    year            smallint    not null,
    quarter         smallint    not null check (quarter between 1 and 4),
    quarter_name    text        not null,             -- 2026-Q3
    month           smallint    not null check (month between 1 and 12),
    month_name      text        not null,
    year_month      text        not null,             -- 2026-08
    day_of_month    smallint    not null,
    day_of_week     smallint    not null check (day_of_week between 1 and 7),  -- ISO: Monday = 1
    day_name        text        not null,
    iso_week        smallint    not null,
    is_weekend      boolean     not null,
    fiscal_year     smallint    not null,
    fiscal_quarter  smallint    not null check (fiscal_quarter between 1 and 4),
    fiscal_quarter_name text    not null,             -- FY2027-Q1
    fiscal_month    smallint    not null check (fiscal_month between 1 and 12)
);

comment on table dw.dim_date is 'Calendar 2015-2035 with WWI fiscal periods (fiscal year starts 1 November)';

insert into dw.dim_date
select to_char(d, 'YYYYMMDD')::int,
       d,
       extract(year from d)::smallint,
       extract(quarter from d)::smallint,
       to_char(d, 'YYYY') || '-Q' || extract(quarter from d),
       extract(month from d)::smallint,
       trim(to_char(d, 'Month')),
       to_char(d, 'YYYY-MM'),
       extract(day from d)::smallint,
       extract(isodow from d)::smallint,
       trim(to_char(d, 'Day')),
       extract(week from d)::smallint,
       extract(isodow from d) in (6, 7),
       fy,
       fq,
       'FY' || fy || '-Q' || fq,
       ((extract(month from d)::int + 1) % 12) + 1
from generate_series(date '2015-01-01', date '2035-12-31', interval '1 day') as g(ts)
cross join lateral (select g.ts::date as d) as x
cross join lateral (
    select (extract(year from x.d) + case when extract(month from x.d) >= 11 then 1 else 0 end)::smallint as fy,
           (((extract(month from x.d)::int + 1) % 12) / 3 + 1)::smallint as fq
) as f;
