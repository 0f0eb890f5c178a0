-- MAX_MONEY of packages/protocol (10^13 credits): no balance or sum of two passes it, so every amount stays
-- exact as a JSON number. server/test/sql-functions checks it against the protocol's constant.
CREATE OR REPLACE FUNCTION mg_max_money() RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 1000000000000000::bigint $$;
