-- For every user in the new output: replace their recommendations by the ${top_n} best of the
-- newest file that has them (prediction descending, product id breaking ties). One statement.

with batch as (
    select r.user_id, r.product_id, r.prediction, r.elt_file_id,
           max(r.elt_file_id) over (partition by r.user_id) as newest
    from stg.recommendation r
    where r.elt_file_id in ${batch_files}
), newest as (
    select distinct on (user_id, product_id) user_id, product_id, prediction
    from batch
    where elt_file_id = newest
    order by user_id, product_id, prediction desc
), replaced as (
    delete from mart.user_recommendations m
    using (select distinct user_id from newest) u
    where m.user_id = u.user_id
)
insert into mart.user_recommendations (user_id, rank, product_id, prediction, load_run_id)
select user_id, rank, product_id, prediction, ${run_id}
from (select user_id, product_id, prediction,
             row_number() over (partition by user_id order by prediction desc, product_id) as rank
      from newest) ranked
where rank <= ${top_n};
