-- The opponent declines (p_action 'decline') or the challenger cancels ('cancel'): the stake goes back.
CREATE OR REPLACE FUNCTION mg_battle_end(p_battle uuid, p_player uuid, p_action text,
  p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'done' THEN RETURN; END IF;
  SELECT l.o_status, l.o_outcome, l.o_battle, l.o_balances INTO o_status, o_outcome, o_battle, o_balances
  FROM mg_battle_lock(p_battle, p_player, CASE WHEN p_action = 'decline' THEN 'opponent' ELSE 'challenger' END) l;
  IF o_status IS NULL THEN
    SELECT x.o_battle, x.o_balances INTO o_battle, o_balances
    FROM mg_battle_close(p_battle, CASE WHEN p_action = 'decline' THEN 'declined' ELSE 'cancelled' END) x;
    o_status := 200;
    o_outcome := json_build_object('battle', o_battle)::text;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
