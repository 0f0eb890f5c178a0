-- Ends a locked active listing without a sale (cancelled or expired): the item leaves escrow and goes back
-- to the seller's inventory. The seller's row is locked first (listing row, then player row, as in every
-- market move), so the return queues behind the seller's own moves.
CREATE OR REPLACE FUNCTION mg_market_close(p_listing uuid, p_status text, p_lang text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  l market_listings;
BEGIN
  SELECT * INTO l FROM market_listings WHERE id = p_listing;
  PERFORM mg_lock_player(l.seller_id);
  UPDATE market_listings SET status = p_status, closed_at = now() WHERE id = p_listing RETURNING * INTO l;
  INSERT INTO inventory (player_id, item_id) VALUES (l.seller_id, l.item_id);
  RETURN mg_listing_json(l, p_lang);
END $$;
