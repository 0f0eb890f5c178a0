-- An admin's deduction (mirrors mg_grant): never below 0. The balance is checked under the player's row
-- lock, so a move holding the lock (a purchase) is waited for and the check sees what it left. The audit
-- entry is written here, with the move; a replay (answered by mg_claim_key) writes none.
CREATE OR REPLACE FUNCTION mg_deduct(p_actor uuid, p_player uuid, p_amount bigint, p_reason text,
  p_key text, p_fingerprint text, OUT o_kind text, OUT o_status int, OUT o_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_deleted timestamptz;
  v_tx bigint;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_actor, p_key, p_fingerprint) c;
  IF o_kind <> 'done' THEN RETURN; END IF;
  SELECT balance, deleted_at INTO v_balance, v_deleted FROM players WHERE id = p_player FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'PLAYER_NOT_FOUND')::text;
  ELSIF v_deleted IS NOT NULL THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'PLAYER_DELETED')::text;
  ELSIF v_balance < p_amount THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', v_balance, 'required', p_amount)::text;
  ELSE
    UPDATE players SET balance = balance - p_amount, updated_at = now() WHERE id = p_player
    RETURNING balance INTO v_balance;
    INSERT INTO ledger (player_id, type, amount, balance_after, note)
    VALUES (p_player, 'admin_deduct', -p_amount, v_balance, p_reason) RETURNING id INTO v_tx;
    INSERT INTO admin_audit_log (admin_id, action, player_id, reason, details)
    VALUES (p_actor, 'deduct', p_player, p_reason,
            jsonb_build_object('amount', p_amount, 'transactionId', v_tx::text, 'balance', v_balance));
    o_status := 200;
    o_outcome := json_build_object('balance', v_balance, 'transactionId', v_tx::text)::text;
  END IF;
  PERFORM mg_store_key(p_actor, p_key, o_status, o_outcome);
END $$;
