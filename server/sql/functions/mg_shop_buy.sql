-- A shop purchase (POST /shop/items/{id}/buy), one statement from the server. It answers the values that
-- must come from the rows it locks and writes; the node writes the JSON body from them
-- (features/wallet/move-answer.ts) with the item's name in the player's language, which the node keeps
-- (features/shop/item-names.ts). Under an Idempotency-Key the values are stored as the key's answer
-- (`o_stored`, JSON, with that name p_name and the sell price p_percent gives), and a replay answers them
-- again, so the node renders the same bytes.
--
-- The fast path is the statements of the least SQL: the debit takes the player's row lock (FOR NO KEY
-- UPDATE, as every money move) and checks the funds in one UPDATE; the inventory insert is the ownership
-- check (its primary key; an item owned already has its debit given back). When that fails, it is tried
-- once more under the player's row lock (a concurrent move may have paid in meanwhile), and a refusal is
-- then decided in the rules' order under that lock: no such item, owned already, a price that moved, too
-- few credits.
CREATE OR REPLACE FUNCTION mg_shop_buy(p_player uuid, p_item int, p_expected bigint, p_percent int,
  p_key text, p_fingerprint text, p_name text,
  OUT o_kind text, OUT o_status int, OUT o_code text, OUT o_balance bigint, OUT o_price bigint,
  OUT o_power int, OUT o_at timestamptz, OUT o_tx bigint, OUT o_stored text)
LANGUAGE plpgsql AS $$
DECLARE
  v_try int;
BEGIN
  o_kind := 'done';
  IF p_key IS NOT NULL THEN
    SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_stored
    FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
    IF o_kind <> 'done' THEN RETURN; END IF;
  END IF;
  SELECT price, power INTO o_price, o_power
  FROM items WHERE id = p_item AND active;
  IF FOUND AND (p_expected IS NULL OR p_expected = o_price) THEN
    -- At most twice: the second time under the player's row lock, so what it finds is what the rules see.
    FOR v_try IN 1..2 LOOP
      IF v_try = 2 THEN PERFORM mg_lock_player(p_player); END IF;
      UPDATE players SET balance = balance - o_price, updated_at = now()
      WHERE id = p_player AND balance >= o_price
      RETURNING balance INTO o_balance;
      -- Under the row lock: an item the player has on the market counts as owned (it comes back to the
      -- inventory when the listing ends).
      IF FOUND AND NOT EXISTS (SELECT 1 FROM market_listings
                               WHERE seller_id = p_player AND item_id = p_item AND status = 'active') THEN
        INSERT INTO inventory (player_id, item_id) VALUES (p_player, p_item)
        ON CONFLICT DO NOTHING RETURNING acquired_at INTO o_at;
        IF FOUND THEN
          INSERT INTO ledger (player_id, type, amount, balance_after, item_id)
          VALUES (p_player, 'purchase', -o_price, o_balance, p_item) RETURNING id INTO o_tx;
          o_status := 200;
          EXIT;
        END IF;
      END IF;
      IF o_balance IS NOT NULL THEN
        -- Owned already: the debit is given back (same transaction, so no one ever saw it).
        UPDATE players SET balance = balance + o_price WHERE id = p_player;
        o_balance := NULL;
      END IF;
    END LOOP;
  END IF;
  IF o_status IS NULL THEN
    -- Refused: which rule, in the rules' order, under the player's row lock.
    o_balance := mg_lock_player(p_player);
    IF o_price IS NULL THEN
      o_status := 404;
      o_code := 'ITEM_NOT_FOUND';
    ELSIF EXISTS (SELECT 1 FROM inventory WHERE player_id = p_player AND item_id = p_item)
       OR EXISTS (SELECT 1 FROM market_listings WHERE seller_id = p_player AND item_id = p_item AND status = 'active') THEN
      o_status := 409;
      o_code := 'ALREADY_OWNED';
    ELSIF p_expected IS NOT NULL AND p_expected <> o_price THEN
      o_status := 409;
      o_code := 'PRICE_CHANGED';
    ELSE
      o_status := 409;
      o_code := 'INSUFFICIENT_FUNDS';
    END IF;
  END IF;
  IF p_key IS NOT NULL THEN
    o_stored := json_build_object('v', 2, 'status', o_status, 'code', o_code, 'balance', o_balance,
      'price', o_price, 'power', o_power, 'name', p_name, 'sellPrice', mg_sell_price(o_price, p_percent),
      'atMs', floor(extract(epoch FROM o_at) * 1000), 'tx', o_tx)::text;
    PERFORM mg_store_key(p_player, p_key, o_status, o_stored);
  END IF;
END $$;
