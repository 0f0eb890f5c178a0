-- Holds a player's stake for a battle (the player row locked by the caller): answers the balance after.
CREATE OR REPLACE FUNCTION mg_battle_hold(p_battle uuid, p_player uuid, p_stake bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
BEGIN
  UPDATE players SET balance = balance - p_stake, updated_at = now() WHERE id = p_player
  RETURNING balance INTO v_balance;
  INSERT INTO ledger (player_id, type, amount, balance_after, battle_id)
  VALUES (p_player, 'battle_stake', -p_stake, v_balance, p_battle);
  RETURN v_balance;
END $$;
