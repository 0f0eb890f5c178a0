-- Ends a locked pending battle without a fight (declined, cancelled or expired): the challenger's stake
-- goes back.
CREATE OR REPLACE FUNCTION mg_battle_close(p_battle uuid, p_status text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_balance bigint;
BEGIN
  UPDATE battles SET status = p_status, resolved_at = now() WHERE id = p_battle RETURNING * INTO b;
  o_balances := '{}'::json;
  IF b.stake > 0 THEN
    UPDATE players SET balance = balance + b.stake, updated_at = now() WHERE id = b.challenger_id
    RETURNING balance INTO v_balance;
    INSERT INTO ledger (player_id, type, amount, balance_after, battle_id)
    VALUES (b.challenger_id, 'battle_refund', b.stake, v_balance, b.id);
    o_balances := json_build_object(b.challenger_id, v_balance);
  END IF;
  o_battle := mg_battle_json(b);
END $$;
