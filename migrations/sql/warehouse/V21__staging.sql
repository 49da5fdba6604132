-- Staging tables of the WWI pipelines (elt-jobs/pipelines). A `load` step appends the rows of new
-- files; elt_file_id says which file (elt.file) each row came from, filled by the column default
-- while the load copies that file. Later steps read the rows of the files they have not processed
-- yet (elt.file_step); a successful run empties the staging tables it loaded. Column names follow
-- the external tables' (UserId -> user_id), so loads map them by name.

create table stg.weblog (
    user_id             integer,
    session_id          text,
    product_id          integer,
    quantity            integer,
    price               numeric(10,2),
    total_price         numeric(12,2),
    referral_url        text,
    page_stop_duration  integer,
    action              text,
    channel             text,
    transaction_date    timestamptz,
    transaction_day     date,
    elt_file_id         bigint not null default elt.current_file_id()
);
comment on table stg.weblog is 'Web events from ext.weblogs (Spark output, one folder per day)';

create table stg.store_sale (
    sale_id      bigint,
    store_id     integer,
    user_id      integer,
    product_id   integer,
    quantity     integer,
    unit_price   numeric(10,2),
    sale_date    date,
    sale_time    timestamptz,
    elt_file_id  bigint not null default elt.current_file_id()
);
comment on table stg.store_sale is 'Retail store sales from ext.store_sales';

create table stg.product (
    product_id     integer,
    product_name   text,
    category       text,
    price          numeric(10,2),
    discount_rate  numeric(4,3),
    cost_price     numeric(20,4),
    is_active      boolean,
    introduced     date,
    elt_file_id    bigint not null default elt.current_file_id()
);
comment on table stg.product is 'Product snapshots from ext.products';

create table stg.web_user (
    user_id      integer,
    first_name   text,
    last_name    text,
    gender       text,
    age          integer,
    region       text,
    signup_date  date,
    elt_file_id  bigint not null default elt.current_file_id()
);
comment on table stg.web_user is 'Web users from ext.users';

create table stg.recommendation (
    user_id      integer,
    product_id   integer,
    prediction   real,
    elt_file_id  bigint not null default elt.current_file_id()
);
comment on table stg.recommendation is 'ALS recommendations from ext.recommendations';

create table stg.raw_weblog (
    user_id             integer,
    session_id          text,
    product_id          integer,
    quantity            integer,
    price               numeric(10,2),
    total_price         numeric(12,2),
    referral_url        text,
    page_stop_duration  integer,
    action              text,
    transaction_date    timestamptz,
    elt_file_id         bigint not null default elt.current_file_id()
);
comment on table stg.raw_weblog is 'Rows of the raw pipe-separated weblog.txt whose TransactionDate parsed (the rest are in elt.reject)';

create table stg.chat_line (
    line_id      bigint generated always as identity,
    line         text,
    elt_file_id  bigint not null default elt.current_file_id()
);
comment on table stg.chat_line is 'Lines of the daily chat transcripts, in file order (line_id)';
