-- Warehouse layers. Data moves stg -> dw -> mart (see README, "Data flow").
--   stg  : raw rows as loaded from external tables, one table per source
--   dw   : the WWI star schema (conformed dimensions, facts)
--   mart : rollups and serving tables for the semantic layer and reports
--   elt  : the ELT ledger (files loaded, runs, lineage). It lives in the warehouse database
--          on purpose: a file is recorded in the same transaction as its rows (exactly once).
create schema if not exists stg;
create schema if not exists dw;
create schema if not exists mart;

comment on schema stg is 'Staging: rows as loaded from external tables';
comment on schema dw is 'WWI star schema: dimensions and facts';
comment on schema mart is 'Rollups and serving tables for the semantic layer and reports';
comment on schema elt is 'ELT ledger: loaded files, runs and lineage (same database as the data, for exactly-once loads)';
