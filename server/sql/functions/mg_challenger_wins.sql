-- The outcome function of API.md (packages/protocol battleOutcome, checked by verifyBattle): the first 52
-- bits n of HMAC-SHA256(seed, "<battleId>:<challengerClientSeed>:<opponentClientSeed>"); with the base
-- strength B of the battle, the challenger wins iff n·(cp+op+2B) < (cp+B)·2^52 (cp+op+2B = 0: n < 2^51).
-- B = 0 is the rule of the battles older than the base strength.
CREATE OR REPLACE FUNCTION mg_challenger_wins(p_seed text, p_battle uuid, p_cs text, p_os text, p_cp int, p_op int,
  p_base int)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  v_digest bytea := mg_hmac_sha256(decode(p_seed, 'hex'),
    convert_to(p_battle::text || ':' || COALESCE(p_cs, '') || ':' || COALESCE(p_os, ''), 'UTF8'));
  v_n numeric := ('x' || substr(encode(v_digest, 'hex'), 1, 13))::bit(52)::bigint;
  v_cp numeric := p_cp::numeric + p_base;
  v_op numeric := p_op::numeric + p_base;
BEGIN
  IF v_cp = 0 AND v_op = 0 THEN RETURN v_n < 2251799813685248; END IF;
  RETURN v_n * (v_cp + v_op) < v_cp * 4503599627370496;
END $$;
