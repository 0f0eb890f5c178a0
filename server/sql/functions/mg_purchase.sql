-- A shop purchase. The item's name is the one in p_lang (items.names), else the catalog's own, taken
-- here and stored under the key with the rest of the answer, so a replay sends the first answer's bytes.
CREATE OR REPLACE FUNCTION mg_purchase(p_player uuid, p_item int, p_expected bigint, p_percent int,
  p_key text, p_fingerprint text, p_lang text DEFAULT NULL,
  OUT o_kind text, OUT o_status int, OUT o_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_name text;
  v_price bigint;
  v_power int;
  v_acquired timestamptz;
  v_tx bigint;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'done' THEN RETURN; END IF;
  v_balance := mg_lock_player(p_player);
  SELECT COALESCE(names ->> p_lang, name), price, power INTO v_name, v_price, v_power
  FROM items WHERE id = p_item AND active;
  IF NOT FOUND THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'ITEM_NOT_FOUND', 'itemId', p_item)::text;
  ELSIF EXISTS (SELECT 1 FROM inventory WHERE player_id = p_player AND item_id = p_item)
     OR EXISTS (SELECT 1 FROM market_listings WHERE seller_id = p_player AND item_id = p_item AND status = 'active') THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'ALREADY_OWNED', 'name', v_name)::text;
  ELSIF p_expected IS NOT NULL AND p_expected <> v_price THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'PRICE_CHANGED', 'name', v_name, 'price', v_price)::text;
  ELSIF v_balance < v_price THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', v_balance, 'required', v_price)::text;
  ELSE
    UPDATE players SET balance = balance - v_price, updated_at = now() WHERE id = p_player
    RETURNING balance INTO v_balance;
    INSERT INTO inventory (player_id, item_id) VALUES (p_player, p_item) RETURNING acquired_at INTO v_acquired;
    INSERT INTO ledger (player_id, type, amount, balance_after, item_id)
    VALUES (p_player, 'purchase', -v_price, v_balance, p_item) RETURNING id INTO v_tx;
    o_status := 200;
    o_outcome := json_build_object(
      'balance', v_balance,
      'item', json_build_object('id', p_item, 'name', v_name, 'price', v_price, 'power', v_power,
                                'sellPrice', mg_sell_price(v_price, p_percent), 'acquiredAt', mg_iso(v_acquired)),
      'transactionId', v_tx::text)::text;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
