-- Locks a battle for a move by p_player and answers a refusal, or null when the move may go on. A pending
-- battle past its expiry is expired here and now (refunded), so it is never accepted late.
CREATE OR REPLACE FUNCTION mg_battle_lock(p_battle uuid, p_player uuid, p_role text,
  OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
BEGIN
  SELECT * INTO b FROM battles WHERE id = p_battle FOR UPDATE;
  IF NOT FOUND OR p_player NOT IN (b.challenger_id, b.opponent_id) THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'NOT_FOUND', 'battleId', p_battle)::text;
  ELSIF (p_role = 'opponent' AND p_player <> b.opponent_id) OR (p_role = 'challenger' AND p_player <> b.challenger_id) THEN
    o_status := 403;
    o_outcome := json_build_object('code', 'FORBIDDEN', 'role', p_role)::text;
  ELSIF b.status = 'pending' AND b.expires_at <= now() THEN
    SELECT x.o_battle, x.o_balances INTO o_battle, o_balances FROM mg_battle_close(b.id, 'expired') x;
    o_status := 409;
    o_outcome := json_build_object('code', 'BATTLE_NOT_PENDING', 'status', 'expired')::text;
  ELSIF b.status <> 'pending' THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'BATTLE_NOT_PENDING', 'status', b.status)::text;
  END IF;
END $$;
