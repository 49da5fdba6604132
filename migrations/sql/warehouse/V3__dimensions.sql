-- Conformed dimensions of the web-log scenario.

create table dw.dim_channel (
    channel_key   smallint primary key,
    channel_code  text     not null unique,
    channel_name  text     not null
);
comment on table dw.dim_channel is 'Sales channels: retail store, web, mobile';
insert into dw.dim_channel values (1, 'store', 'Retail store'), (2, 'web', 'Web'), (3, 'mobile', 'Mobile');

create table dw.dim_customer (
    customer_key  bigint generated always as identity primary key,
    user_id       integer     not null unique,          -- business key (web-log UserId)
    first_name    text,
    last_name     text,
    full_name     text generated always as (coalesce(first_name || ' ', '') || coalesce(last_name, '')) stored,
    gender        text        check (gender in ('M', 'F', 'U')),
    age           smallint    check (age between 0 and 130),
    age_band      text        generated always as (
                      case when age is null then 'Unknown'
                           when age < 25 then '16-24'
                           when age < 35 then '25-34'
                           when age < 45 then '35-44'
                           when age < 55 then '45-54'
                           when age < 65 then '55-64'
                           else '65+' end) stored,
    region        text,
    signup_date   date,
    loaded_at     timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
comment on table dw.dim_customer is 'Customers (web users), type 1; user_id -1 is the unknown / walk-in customer';
create index dim_customer_region_idx on dw.dim_customer (region);
insert into dw.dim_customer (user_id, first_name, last_name, gender, region)
values (-1, null, 'Unknown customer', 'U', 'Unknown');

create table dw.dim_product (
    product_key    bigint generated always as identity primary key,
    product_id     integer       not null,                 -- business key
    product_name   text          not null,
    category       text          not null,
    price          numeric(10,2) not null check (price >= 0),
    cost_price     numeric(20,4),
    discount_rate  numeric(4,3),
    is_active      boolean       not null default true,
    introduced     date,
    -- slowly changing dimension, type 2
    valid_from     timestamptz   not null default '-infinity',
    valid_to       timestamptz   not null default 'infinity',
    is_current     boolean       not null default true,
    row_hash       text,
    check (valid_from < valid_to),
    unique (product_id, valid_from)
);
comment on table dw.dim_product is 'Products, slowly changing dimension type 2 (valid_from/valid_to/is_current)';
create unique index dim_product_current_uq on dw.dim_product (product_id) where is_current;
create index dim_product_category_idx on dw.dim_product (category) where is_current;
