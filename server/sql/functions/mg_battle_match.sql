-- Quick match: a battle between two matched players, both stakes held and resolved in one go, exactly as
-- an accepted challenge (no client seeds: neither side sent one).
CREATE OR REPLACE FUNCTION mg_battle_match(p_challenger uuid, p_opponent uuid, p_stake bigint, p_seed text,
  p_base_strength int,
  OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_cb bigint;
  v_ob bigint;
BEGIN
  SELECT l.o_first, l.o_second INTO v_cb, v_ob FROM mg_lock_pair(p_challenger, p_opponent) l;
  IF v_cb IS NULL OR v_ob IS NULL THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'PLAYER_NOT_FOUND')::text;
  ELSIF p_challenger = p_opponent THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INVALID_OPPONENT')::text;
  ELSIF v_cb < p_stake OR v_ob < p_stake THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', LEAST(v_cb, v_ob), 'required', p_stake,
                                   'playerId', CASE WHEN v_cb < p_stake THEN p_challenger ELSE p_opponent END)::text;
  ELSIF GREATEST(v_cb, v_ob) + p_stake > mg_max_money() THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'BALANCE_LIMIT', 'balance', GREATEST(v_cb, v_ob) - p_stake,
                                   'amount', 2 * p_stake)::text;
  ELSE
    INSERT INTO battles (challenger_id, opponent_id, stake, seed, seed_hash, expires_at, base_strength)
    VALUES (p_challenger, p_opponent, p_stake, p_seed, encode(sha256(decode(p_seed, 'hex')), 'hex'), now(),
            p_base_strength)
    RETURNING * INTO b;
    IF p_stake > 0 THEN
      v_cb := mg_battle_hold(b.id, p_challenger, p_stake);
      v_ob := mg_battle_hold(b.id, p_opponent, p_stake);
    END IF;
    SELECT s.o_battle, s.o_balances INTO o_battle, o_balances FROM mg_battle_settle(b.id) s;
    IF p_stake > 0 THEN
      o_balances := (jsonb_build_object(p_challenger, v_cb, p_opponent, v_ob) || o_balances::jsonb)::json;
    END IF;
    o_status := 200;
    o_outcome := json_build_object('battle', o_battle)::text;
  END IF;
END $$;
