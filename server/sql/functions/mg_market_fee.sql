-- The market's fee on a sale: MARKET_FEE_PERCENT of the price, rounded down, so the buyer's debit is
-- exactly the seller's credit plus the fee and no minor unit is created or lost.
CREATE OR REPLACE FUNCTION mg_market_fee(p_price bigint, p_percent int) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT p_price * p_percent / 100 $$;
