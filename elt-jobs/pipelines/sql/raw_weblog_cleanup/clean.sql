-- Rows of the raw export that parsed (dates that did not are already in elt.reject) go to
-- dw.weblog_clean, after the notebook's other checks: a known action, a positive quantity and a
-- total that is quantity times price. Rows failing those go to elt.reject with the reason.

insert into elt.reject (run_id, step, source, file, column_name, raw_value, reason)
select ${run_id}, 'clean', 'stg.raw_weblog', f.path, x.column_name, x.raw_value, x.reason
from stg.raw_weblog r
join elt.file f on f.file_id = r.elt_file_id
cross join lateral (
    select 'Action' as column_name, r.action as raw_value, 'unknown action' as reason
    where r.action is null or r.action not in ('Browsed', 'Add To Cart', 'Purchased')
    union all
    select 'Quantity', r.quantity::text, 'quantity must be positive'
    where r.quantity is null or r.quantity <= 0
    union all
    select 'TotalPrice', r.total_price::text, 'total is not quantity x price (' || r.quantity || ' x ' || r.price || ')'
    where r.total_price is distinct from r.quantity * r.price
    union all
    select 'UserId', null, 'user or session missing'
    where r.user_id is null or r.session_id is null
) x
where r.elt_file_id in ${batch_files};

insert into dw.weblog_clean (user_id, session_id, product_id, quantity, price, total_price, referral_url,
                             page_stop_duration, action, transaction_date, source_file, load_run_id)
select r.user_id, r.session_id, r.product_id, r.quantity, r.price, r.total_price, nullif(r.referral_url, ''),
       r.page_stop_duration, r.action, r.transaction_date, f.path, ${run_id}
from stg.raw_weblog r
join elt.file f on f.file_id = r.elt_file_id
where r.elt_file_id in ${batch_files}
  and r.action in ('Browsed', 'Add To Cart', 'Purchased')
  and r.quantity > 0
  and r.total_price = r.quantity * r.price
  and r.user_id is not null and r.session_id is not null
  and r.transaction_date is not null;
