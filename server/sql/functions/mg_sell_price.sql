-- What selling an item pays back: SELL_PRICE_PERCENT of its price, rounded down.
CREATE OR REPLACE FUNCTION mg_sell_price(p_price bigint, p_percent int) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT p_price * p_percent / 100 $$;
