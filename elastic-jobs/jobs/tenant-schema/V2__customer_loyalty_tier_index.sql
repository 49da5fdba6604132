create index if not exists customer_loyalty_tier_idx on customer_loyalty (tier);
