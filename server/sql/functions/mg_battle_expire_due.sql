-- The expiry sweep, run by every node: refunds up to p_limit pending battles past their expiry. Rows
-- another node is handling are skipped (SKIP LOCKED); each battle is closed in a subtransaction, so one
-- that cannot be refunded (a balance at its maximum) is reported and the others still go.
CREATE OR REPLACE FUNCTION mg_battle_expire_due(p_limit int)
RETURNS TABLE (o_battle json, o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
BEGIN
  FOR v_id IN SELECT id FROM battles WHERE status = 'pending' AND expires_at <= now()
              ORDER BY expires_at LIMIT p_limit FOR UPDATE SKIP LOCKED LOOP
    BEGIN
      SELECT x.o_battle, x.o_balances INTO o_battle, o_balances FROM mg_battle_close(v_id, 'expired') x;
      RETURN NEXT;
    EXCEPTION WHEN check_violation THEN
      RAISE WARNING 'battle % could not be refunded: %', v_id, SQLERRM;
    END;
  END LOOP;
END $$;
