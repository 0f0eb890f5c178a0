-- Locks a player's row for a money move (FOR NO KEY UPDATE: it does not conflict with the KEY SHARE the
-- idempotency row's foreign key takes) and answers its balance. A player that does not exist is an error
-- of the caller (its session names it), raised as no_data_found.
CREATE OR REPLACE FUNCTION mg_lock_player(p_player uuid) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
BEGIN
  SELECT balance INTO v_balance FROM players WHERE id = p_player FOR NO KEY UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'no player %', p_player USING ERRCODE = 'P0002'; END IF;
  RETURN v_balance;
END $$;
