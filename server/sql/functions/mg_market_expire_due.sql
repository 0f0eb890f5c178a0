-- The listing expiry sweep, run by every node: returns the items of up to p_limit active listings past
-- their expiry to their sellers. Rows another node (or a buy, a cancel) holds are skipped (SKIP LOCKED),
-- so each listing ends exactly once.
CREATE OR REPLACE FUNCTION mg_market_expire_due(p_limit int)
RETURNS TABLE (o_listing json)
LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
BEGIN
  FOR v_id IN SELECT id FROM market_listings WHERE status = 'active' AND expires_at <= now()
              ORDER BY expires_at LIMIT p_limit FOR UPDATE SKIP LOCKED LOOP
    o_listing := mg_market_close(v_id, 'expired', NULL);
    RETURN NEXT;
  END LOOP;
END $$;
