-- A pilot buys another's active listing: the buyer pays the price (market_purchase), the seller is paid
-- the price (market_sale) and pays the fee (market_fee, mg_market_fee: the economy's sink), the item goes
-- from escrow to the buyer's inventory, the listing is sold; all or nothing, in one statement. Lock order:
-- the idempotency row, the listing row (so a buy, a cancel and the expiry of one listing queue on it and
-- exactly one wins), then both players in id order (mg_lock_pair), then inventory and ledger rows.
-- o_listing is the listing as sold (for the seller's market.sold event); o_balances both balances moved.
CREATE OR REPLACE FUNCTION mg_market_buy(p_listing uuid, p_player uuid, p_expected bigint, p_fee_percent int,
  p_sell_percent int, p_lang text, p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_listing json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  l market_listings;
  v_bb bigint;
  v_sb bigint;
  v_fee bigint;
  v_name text;
  v_price bigint;
  v_power int;
  v_acquired timestamptz;
  v_tx bigint;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'done' THEN RETURN; END IF;
  SELECT k.o_status, k.o_outcome, k.o_listing INTO o_status, o_outcome, o_listing
  FROM mg_market_lock(p_listing, p_player, false) k;
  IF o_status IS NULL THEN
    SELECT * INTO l FROM market_listings WHERE id = p_listing;
    SELECT COALESCE(names ->> p_lang, name), price, power INTO v_name, v_price, v_power
    FROM items WHERE id = l.item_id;
    SELECT k.o_first, k.o_second INTO v_bb, v_sb FROM mg_lock_pair(p_player, l.seller_id) k;
    IF v_bb IS NULL THEN RAISE EXCEPTION 'no player %', p_player USING ERRCODE = 'P0002'; END IF;
    v_fee := mg_market_fee(l.price, p_fee_percent);
    IF EXISTS (SELECT 1 FROM inventory WHERE player_id = p_player AND item_id = l.item_id)
       OR EXISTS (SELECT 1 FROM market_listings WHERE seller_id = p_player AND item_id = l.item_id
                  AND status = 'active') THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'ALREADY_OWNED', 'name', v_name)::text;
    ELSIF p_expected IS NOT NULL AND p_expected <> l.price THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'PRICE_CHANGED', 'name', v_name, 'price', l.price)::text;
    ELSIF v_bb < l.price THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', v_bb, 'required', l.price)::text;
    ELSIF v_sb + l.price > mg_max_money() THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'BALANCE_LIMIT', 'balance', v_sb, 'amount', l.price)::text;
    ELSE
      UPDATE players SET balance = balance - l.price, updated_at = now() WHERE id = p_player
      RETURNING balance INTO v_bb;
      INSERT INTO ledger (player_id, type, amount, balance_after, item_id, listing_id)
      VALUES (p_player, 'market_purchase', -l.price, v_bb, l.item_id, l.id) RETURNING id INTO v_tx;
      UPDATE players SET balance = balance + l.price, updated_at = now() WHERE id = l.seller_id
      RETURNING balance INTO v_sb;
      INSERT INTO ledger (player_id, type, amount, balance_after, item_id, listing_id)
      VALUES (l.seller_id, 'market_sale', l.price, v_sb, l.item_id, l.id);
      IF v_fee > 0 THEN
        UPDATE players SET balance = balance - v_fee, updated_at = now() WHERE id = l.seller_id
        RETURNING balance INTO v_sb;
        INSERT INTO ledger (player_id, type, amount, balance_after, listing_id)
        VALUES (l.seller_id, 'market_fee', -v_fee, v_sb, l.id);
      END IF;
      INSERT INTO inventory (player_id, item_id) VALUES (p_player, l.item_id) RETURNING acquired_at INTO v_acquired;
      UPDATE market_listings SET status = 'sold', buyer_id = p_player, fee = v_fee, closed_at = now()
      WHERE id = l.id RETURNING * INTO l;
      o_listing := mg_listing_json(l, p_lang);
      o_balances := json_build_object(p_player, v_bb, l.seller_id, v_sb);
      o_status := 200;
      o_outcome := json_build_object(
        'balance', v_bb,
        'item', json_build_object('id', l.item_id, 'name', v_name, 'price', v_price,
                                  'sellPrice', mg_sell_price(v_price, p_sell_percent), 'power', v_power,
                                  'acquiredAt', mg_iso(v_acquired)),
        'listing', o_listing,
        'transactionId', v_tx::text)::text;
    END IF;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
