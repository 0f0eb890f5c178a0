-- Locks a listing for a move and answers a refusal, or null when the move may go on. An active listing
-- past its expiry is expired here and now (the item back to its seller), so it is never bought late.
-- p_seller: the move is the seller's (cancel: another's listing is not found); else the buyer's.
CREATE OR REPLACE FUNCTION mg_market_lock(p_listing uuid, p_player uuid, p_seller boolean,
  OUT o_status int, OUT o_outcome text, OUT o_listing json)
LANGUAGE plpgsql AS $$
DECLARE
  l market_listings;
BEGIN
  SELECT * INTO l FROM market_listings WHERE id = p_listing FOR UPDATE;
  IF NOT FOUND OR (p_seller AND l.seller_id <> p_player) THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'NOT_FOUND', 'listingId', p_listing)::text;
  ELSIF NOT p_seller AND l.seller_id = p_player THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'OWN_LISTING')::text;
  ELSIF l.status = 'active' AND l.expires_at <= now() THEN
    o_listing := mg_market_close(l.id, 'expired', NULL);
    o_status := 409;
    o_outcome := json_build_object('code', 'LISTING_NOT_ACTIVE', 'status', 'expired')::text;
  ELSIF l.status <> 'active' THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'LISTING_NOT_ACTIVE', 'status', l.status)::text;
  END IF;
END $$;
