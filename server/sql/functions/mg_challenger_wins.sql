-- The outcome function of API.md (packages/protocol battleOutcome, checked by verifyBattle): the first 52
-- bits n of HMAC-SHA256(seed, "<battleId>:<challengerClientSeed>:<opponentClientSeed>"); the challenger
-- wins iff n·(cp+op) < cp·2^52 (both powers 0: n < 2^51).
CREATE OR REPLACE FUNCTION mg_challenger_wins(p_seed text, p_battle uuid, p_cs text, p_os text, p_cp int, p_op int)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  v_digest bytea := mg_hmac_sha256(decode(p_seed, 'hex'),
    convert_to(p_battle::text || ':' || COALESCE(p_cs, '') || ':' || COALESCE(p_os, ''), 'UTF8'));
  v_n numeric := ('x' || substr(encode(v_digest, 'hex'), 1, 13))::bit(52)::bigint;
BEGIN
  IF p_cp = 0 AND p_op = 0 THEN RETURN v_n < 2251799813685248; END IF;
  RETURN v_n * (p_cp::numeric + p_op) < p_cp::numeric * 4503599627370496;
END $$;
