-- Lineage column of dw.fact_sales, indexed for the ELT pipelines: incremental rollup refreshes ask
-- which days the rows of a batch of files added (dw.fact_web_event has this index already).
create index fact_sales_source_idx on dw.fact_sales (source_file);
