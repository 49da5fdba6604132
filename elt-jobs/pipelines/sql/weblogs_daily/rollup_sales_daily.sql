-- Revenue and units by day, channel and product (with its category), every channel. Additive
-- measures only: sum them to any coarser grain.
select s.date_key,
       d.date,
       ch.channel_code as channel,
       p.product_id,
       p.product_name,
       p.category,
       count(*)            as sales_lines,
       sum(s.quantity)     as units,
       sum(s.total)        as revenue
from dw.fact_sales s
join dw.dim_date d on d.date_key = s.date_key
join dw.dim_channel ch on ch.channel_key = s.channel_key
join dw.dim_product p on p.product_key = s.product_key
group by s.date_key, d.date, ch.channel_code, p.product_id, p.product_name, p.category
