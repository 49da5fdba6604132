-- dw.fact_web_event from the web events of the files this step has not processed yet
-- (${batch_files}); runs in one transaction with the mark that it processed them.
-- The product version is the one valid at the event's time (SCD2), else the latest one; products
-- unknown to dw.dim_product become inferred members ("Unknown product N"); users unknown to
-- dw.dim_customer get the unknown customer. Action points come from the table's generated column.

select dw.ensure_month_partitions('dw.fact_web_event', min(transaction_date)::date, max(transaction_date)::date)
from stg.weblog
where elt_file_id in ${batch_files}
having count(*) > 0;

insert into dw.dim_product (product_id, product_name, category, price)
select distinct w.product_id, 'Unknown product ' || w.product_id, 'Unknown', 0
from stg.weblog w
where w.elt_file_id in ${batch_files}
  and not exists (select 1 from dw.dim_product p where p.product_id = w.product_id);

insert into dw.fact_web_event (event_ts, date_key, session_id, customer_key, user_id, product_key, product_id,
                               channel_key, action, quantity, price, total, referral_url, page_stop_seconds,
                               source_file, load_run_id)
select w.transaction_date,
       to_char(w.transaction_date at time zone 'UTC', 'YYYYMMDD')::int,
       w.session_id,
       coalesce(c.customer_key, unknown.customer_key),
       w.user_id,
       coalesce(p.product_key, latest.product_key),
       w.product_id,
       ch.channel_key,
       w.action,
       w.quantity,
       w.price,
       w.total_price,
       w.referral_url,
       w.page_stop_duration,
       f.path,
       ${run_id}
from stg.weblog w
join elt.file f on f.file_id = w.elt_file_id
left join dw.dim_product p
       on p.product_id = w.product_id and w.transaction_date >= p.valid_from and w.transaction_date < p.valid_to
left join (select distinct on (product_id) product_id, product_key
           from dw.dim_product order by product_id, valid_from desc) latest
       on latest.product_id = w.product_id
left join dw.dim_channel ch on ch.channel_code = lower(w.channel)
left join dw.dim_customer c on c.user_id = w.user_id
cross join (select customer_key from dw.dim_customer where user_id = ${unknown_customer_id}) unknown
where w.elt_file_id in ${batch_files};
