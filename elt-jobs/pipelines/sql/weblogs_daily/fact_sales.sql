-- dw.fact_sales from the web and mobile purchases (Purchased events; the order is the session) and
-- the retail store sales (channel store; walk-in customers are the unknown customer) of the files
-- this step has not processed yet.

select dw.ensure_month_partitions('dw.fact_sales', min(t)::date, max(t)::date)
from (select transaction_date as t from stg.weblog
      where elt_file_id in ${batch_files} and action = 'Purchased'
      union all
      select sale_time from stg.store_sale where elt_file_id in ${batch_files}) x
having count(*) > 0;

insert into dw.dim_product (product_id, product_name, category, price)
select distinct s.product_id, 'Unknown product ' || s.product_id, 'Unknown', 0
from (select product_id from stg.weblog where elt_file_id in ${batch_files}
      union
      select product_id from stg.store_sale where elt_file_id in ${batch_files}) s
where not exists (select 1 from dw.dim_product p where p.product_id = s.product_id);

insert into dw.fact_sales (sale_ts, date_key, order_id, customer_key, product_key, channel_key, quantity,
                           unit_price, total, source_file, load_run_id)
select w.transaction_date,
       to_char(w.transaction_date at time zone 'UTC', 'YYYYMMDD')::int,
       w.session_id,
       coalesce(c.customer_key, unknown.customer_key),
       coalesce(p.product_key, latest.product_key),
       ch.channel_key,
       w.quantity,
       w.price,
       w.total_price,
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
where w.elt_file_id in ${batch_files}
  and w.action = 'Purchased';

insert into dw.fact_sales (sale_ts, date_key, order_id, customer_key, product_key, channel_key, quantity,
                           unit_price, total, source_file, load_run_id)
select s.sale_time,
       to_char(s.sale_time at time zone 'UTC', 'YYYYMMDD')::int,
       'store-' || s.store_id || '-' || s.sale_id,
       coalesce(c.customer_key, unknown.customer_key),
       coalesce(p.product_key, latest.product_key),
       (select channel_key from dw.dim_channel where channel_code = 'store'),
       s.quantity,
       s.unit_price,
       s.quantity * s.unit_price,
       f.path,
       ${run_id}
from stg.store_sale s
join elt.file f on f.file_id = s.elt_file_id
left join dw.dim_product p
       on p.product_id = s.product_id and s.sale_time >= p.valid_from and s.sale_time < p.valid_to
left join (select distinct on (product_id) product_id, product_key
           from dw.dim_product order by product_id, valid_from desc) latest
       on latest.product_id = s.product_id
left join dw.dim_customer c on c.user_id = s.user_id
cross join (select customer_key from dw.dim_customer where user_id = ${unknown_customer_id}) unknown
where s.elt_file_id in ${batch_files};
