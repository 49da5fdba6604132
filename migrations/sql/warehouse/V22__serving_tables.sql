-- Tables the WWI pipelines fill besides the star schema (elt-jobs/pipelines, docs/ELT.md).

-- raw_weblog_cleanup: the notebook's cleaning of the raw export, done in the warehouse
create table dw.weblog_clean (
    user_id             integer       not null,
    session_id          text          not null,
    product_id          integer       not null,
    quantity            integer       not null,
    price               numeric(10,2) not null,
    total_price         numeric(12,2) not null,
    referral_url        text,
    page_stop_duration  integer,
    action              text          not null,
    transaction_date    timestamptz   not null,
    source_file         text          not null,
    load_run_id         bigint        not null
);
comment on table dw.weblog_clean is 'Rows of the raw weblog.txt export that passed cleaning (TransactionDate parsed as M/d/yyyy h:mm:ss a)';
create index weblog_clean_date_idx on dw.weblog_clean (transaction_date);

-- recommendations: the top 10 ALS recommendations per user (WWI's GetRecommendedProductsForUser)
create table mart.user_recommendations (
    user_id     integer     not null,
    rank        smallint    not null check (rank between 1 and 10),
    product_id  integer     not null,
    prediction  real        not null,
    loaded_at   timestamptz not null default now(),
    load_run_id bigint      not null,
    primary key (user_id, rank),
    unique (user_id, product_id)
);
comment on table mart.user_recommendations is 'Top 10 recommended products per user, best first (from Spark ALS output)';

create function mart.recommended_products(user_id integer, n integer default 10)
returns table (product_id integer, product_name text, price numeric(10,2), prediction real)
language sql stable as $$
    select r.product_id, p.product_name, p.price, r.prediction
    from mart.user_recommendations r
    left join dw.dim_product p on p.product_id = r.product_id and p.is_current
    where r.user_id = recommended_products.user_id
    order by r.rank
    limit greatest(n, 0)
$$;
comment on function mart.recommended_products(integer, integer) is
    'The n best recommended products of a user with name and current price (WWI GetRecommendedProductsForUser)';

-- chat_transcripts: one row per conversation, searchable with PostgreSQL full-text search
create table dw.chat_transcript (
    conversation_id  text        primary key,            -- WWI-CS-000001
    user_id          integer     not null,
    started_at       timestamptz not null,
    day              date        not null,
    lines            integer     not null,
    transcript       text        not null,
    search           tsvector    generated always as (to_tsvector('english', transcript)) stored,
    source_file      text        not null,
    load_run_id      bigint      not null
);
comment on table dw.chat_transcript is 'Customer-service chat conversations; search with: where search @@ websearch_to_tsquery(''english'', ''peacock decor'')';
create index chat_transcript_search_idx on dw.chat_transcript using gin (search);
create index chat_transcript_user_idx on dw.chat_transcript (user_id);

create function dw.search_chats(query text, n integer default 20)
returns table (conversation_id text, user_id integer, started_at timestamptz, rank real, excerpt text)
language sql stable as $$
    select c.conversation_id, c.user_id, c.started_at,
           ts_rank(c.search, q) as rank,
           replace(ts_headline('english', c.transcript, q, 'MaxWords=20, MinWords=8, MaxFragments=1'), E'\n', ' ') as excerpt
    from dw.chat_transcript c, websearch_to_tsquery('english', query) q
    where c.search @@ q
    order by rank desc, c.conversation_id
    limit greatest(n, 0)
$$;
comment on function dw.search_chats(text, integer) is
    'Chat conversations matching a web-style search (e.g. ''peacock decor'', ''"real person"''), best first';
