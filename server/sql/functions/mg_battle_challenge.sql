-- A challenge: the challenger's stake goes into escrow; the battle waits for the opponent until it expires.
-- Whether the opponent is online is the caller's knowledge (Presence lives in Redis), passed in so that a
-- replayed key still answers what it answered first. The base strength (BATTLE_BASE_STRENGTH) is fixed on
-- the battle now, so the rule it is fought and verified under is known from the challenge on.
CREATE OR REPLACE FUNCTION mg_battle_challenge(p_challenger uuid, p_opponent uuid, p_stake bigint,
  p_client_seed text, p_seed text, p_opponent_online boolean, p_ttl_seconds int, p_max_pending int,
  p_key text, p_fingerprint text, p_base_strength int,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json,
  OUT o_expired json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_id uuid;
  v_balance bigint;
  v_pending int;
  v_same int;
  v_moved boolean := false;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_challenger, p_key, p_fingerprint) c;
  IF o_kind <> 'done' THEN RETURN; END IF;
  -- A challenge to this opponent that expired but was not swept yet is expired now (battle row before
  -- player row, as everywhere), so it neither counts nor blocks the new one.
  -- o_expired is that battle as it ended (the service announces it as the sweep would have).
  FOR v_id IN SELECT id FROM battles WHERE challenger_id = p_challenger AND opponent_id = p_opponent
              AND status = 'pending' AND expires_at <= now() FOR UPDATE LOOP
    SELECT x.o_battle INTO o_expired FROM mg_battle_close(v_id, 'expired') x;
    v_moved := true;
  END LOOP;
  v_balance := mg_lock_player(p_challenger);
  -- Counted under the challenger's row lock: two challenges of one player cannot both pass the limit.
  SELECT count(*), count(*) FILTER (WHERE opponent_id = p_opponent) INTO v_pending, v_same
  FROM battles WHERE challenger_id = p_challenger AND status = 'pending' AND expires_at > now();
  IF p_opponent = p_challenger THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INVALID_OPPONENT')::text;
  ELSIF NOT EXISTS (SELECT 1 FROM players WHERE id = p_opponent) THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'PLAYER_NOT_FOUND')::text;
  ELSIF NOT p_opponent_online THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'OPPONENT_OFFLINE')::text;
  ELSIF v_same > 0 OR v_pending >= p_max_pending THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'TOO_MANY_CHALLENGES', 'max', p_max_pending,
                                   'sameOpponent', v_same > 0)::text;
  ELSIF v_balance < p_stake THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', v_balance, 'required', p_stake)::text;
  ELSE
    INSERT INTO battles (challenger_id, opponent_id, stake, seed, seed_hash, challenger_client_seed, expires_at,
                         base_strength)
    VALUES (p_challenger, p_opponent, p_stake, p_seed, encode(sha256(decode(p_seed, 'hex')), 'hex'),
            p_client_seed, now() + make_interval(secs => p_ttl_seconds), p_base_strength)
    RETURNING * INTO b;
    IF p_stake > 0 THEN
      v_balance := mg_battle_hold(b.id, p_challenger, p_stake);
      v_moved := true;
    END IF;
    o_battle := mg_battle_json(b);
    o_status := 201;
    o_outcome := json_build_object('battle', o_battle)::text;
  END IF;
  o_balances := CASE WHEN v_moved THEN json_build_object(p_challenger, v_balance) ELSE '{}'::json END;
  PERFORM mg_store_key(p_challenger, p_key, o_status, o_outcome);
END $$;
