-- The opponent accepts: its stake is held and the battle is resolved at once.
CREATE OR REPLACE FUNCTION mg_battle_accept(p_battle uuid, p_player uuid, p_client_seed text,
  p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_cb bigint;
  v_ob bigint;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'done' THEN RETURN; END IF;
  SELECT l.o_status, l.o_outcome, l.o_battle, l.o_balances INTO o_status, o_outcome, o_battle, o_balances
  FROM mg_battle_lock(p_battle, p_player, 'opponent') l;
  IF o_status IS NULL THEN
    SELECT * INTO b FROM battles WHERE id = p_battle;
    SELECT l.o_first, l.o_second INTO v_cb, v_ob FROM mg_lock_pair(b.challenger_id, b.opponent_id) l;
    IF v_ob < b.stake THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', v_ob, 'required', b.stake)::text;
    ELSIF v_cb + 2 * b.stake > mg_max_money() OR v_ob + b.stake > mg_max_money() THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'BALANCE_LIMIT', 'balance', GREATEST(v_cb, v_ob - b.stake),
                                     'amount', 2 * b.stake)::text;
    ELSE
      UPDATE battles SET opponent_client_seed = p_client_seed WHERE id = b.id;
      IF b.stake > 0 THEN
        v_ob := mg_battle_hold(b.id, b.opponent_id, b.stake);
      END IF;
      SELECT s.o_battle, s.o_balances INTO o_battle, o_balances FROM mg_battle_settle(b.id) s;
      IF b.stake > 0 AND (o_balances ->> b.opponent_id::text) IS NULL THEN
        -- The opponent lost: its balance moved by its stake.
        o_balances := (o_balances::jsonb || jsonb_build_object(b.opponent_id, v_ob))::json;
      END IF;
      o_status := 200;
      o_outcome := json_build_object('battle', o_battle)::text;
    END IF;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
