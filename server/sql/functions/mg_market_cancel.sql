-- The seller cancels its active listing: the item goes back to its inventory. Lock order: the
-- idempotency row, the listing row, the seller's row (mg_market_close).
CREATE OR REPLACE FUNCTION mg_market_cancel(p_listing uuid, p_player uuid, p_lang text,
  p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_listing json)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'done' THEN RETURN; END IF;
  SELECT l.o_status, l.o_outcome, l.o_listing INTO o_status, o_outcome, o_listing
  FROM mg_market_lock(p_listing, p_player, true) l;
  IF o_status IS NULL THEN
    o_listing := mg_market_close(p_listing, 'cancelled', p_lang);
    o_status := 200;
    o_outcome := json_build_object('listing', o_listing)::text;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
