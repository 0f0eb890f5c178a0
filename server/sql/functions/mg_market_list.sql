-- A listing: the seller's item leaves its inventory into escrow (the listing row holds it while active).
-- Lock order: the idempotency row, the seller's row, then its inventory row. Counted under the seller's
-- row lock, so two listings of one player cannot both pass the limit; the partial unique index
-- market_listings_one_active_per_item refuses a second active listing of one item whatever races.
CREATE OR REPLACE FUNCTION mg_market_list(p_player uuid, p_item int, p_price bigint, p_ttl_seconds int,
  p_max_active int, p_lang text, p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_listing json)
LANGUAGE plpgsql AS $$
DECLARE
  l market_listings;
  v_name text;
  v_active int;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'done' THEN RETURN; END IF;
  PERFORM mg_lock_player(p_player);
  SELECT COALESCE(names ->> p_lang, name) INTO v_name FROM items WHERE id = p_item;
  IF NOT FOUND THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'ITEM_NOT_FOUND', 'itemId', p_item)::text;
  ELSIF NOT EXISTS (SELECT 1 FROM inventory WHERE player_id = p_player AND item_id = p_item) THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'NOT_OWNED', 'name', v_name,
      'listed', EXISTS (SELECT 1 FROM market_listings
                        WHERE seller_id = p_player AND item_id = p_item AND status = 'active'))::text;
  ELSE
    SELECT count(*) INTO v_active FROM market_listings WHERE seller_id = p_player AND status = 'active';
    IF v_active >= p_max_active THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'TOO_MANY_LISTINGS', 'max', p_max_active)::text;
    ELSE
      DELETE FROM inventory WHERE player_id = p_player AND item_id = p_item;
      INSERT INTO market_listings (seller_id, item_id, price, expires_at)
      VALUES (p_player, p_item, p_price, now() + make_interval(secs => p_ttl_seconds))
      RETURNING * INTO l;
      o_listing := mg_listing_json(l, p_lang);
      o_status := 201;
      o_outcome := json_build_object('listing', o_listing)::text;
    END IF;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
