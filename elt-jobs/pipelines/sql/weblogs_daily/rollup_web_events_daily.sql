-- Web and mobile events by day, channel and product (with its category): events per action,
-- action points and purchased revenue. Additive measures only.
select e.date_key,
       d.date,
       ch.channel_code                                         as channel,
       p.product_id,
       p.product_name,
       p.category,
       count(*)                                                as events,
       count(*) filter (where e.action = 'Browsed')            as browsed,
       count(*) filter (where e.action = 'Add To Cart')        as added_to_cart,
       count(*) filter (where e.action = 'Purchased')          as purchased,
       sum(e.action_points)                                    as action_points,
       coalesce(sum(e.total) filter (where e.action = 'Purchased'), 0) as revenue
from dw.fact_web_event e
join dw.dim_date d on d.date_key = e.date_key
join dw.dim_channel ch on ch.channel_key = e.channel_key
join dw.dim_product p on p.product_key = e.product_key
group by e.date_key, d.date, ch.channel_code, p.product_id, p.product_name, p.category
