-- Item names in the player's language in the answers of purchases and sales (and in the rule errors
-- ALREADY_OWNED, NOT_OWNED, PRICE_CHANGED), as the shop serves them: the name in p_lang from
-- items.names, else the catalog's own name (shop.repository.ts localName). The name is taken in the
-- statement that moves the money and stored under the Idempotency-Key with the rest of the answer, so a
-- replay sends the first answer's bytes whatever the catalog became since.
--
-- p_lang comes last with DEFAULT NULL (the catalog name): a node still running the previous code calls
-- the six-argument form and gets the answers it always got. Bodies otherwise as in 0004_wallet_moves.sql.

DROP FUNCTION IF EXISTS mg_purchase(uuid, int, bigint, int, text, text);
--> statement-breakpoint
CREATE FUNCTION mg_purchase(p_player uuid, p_item int, p_expected bigint, p_percent int,
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
  IF o_kind <> 'claimed' THEN RETURN; END IF;
  o_kind := 'done';
  SELECT balance INTO v_balance FROM players WHERE id = p_player FOR NO KEY UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'no player %', p_player USING ERRCODE = 'P0002'; END IF;
  SELECT COALESCE(names ->> p_lang, name), price, power INTO v_name, v_price, v_power
  FROM items WHERE id = p_item AND active;
  IF NOT FOUND THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'ITEM_NOT_FOUND', 'itemId', p_item)::text;
  ELSIF EXISTS (SELECT 1 FROM inventory WHERE player_id = p_player AND item_id = p_item) THEN
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
--> statement-breakpoint
DROP FUNCTION IF EXISTS mg_sale(uuid, int, int, text, text);
--> statement-breakpoint
CREATE FUNCTION mg_sale(p_player uuid, p_item int, p_percent int,
  p_key text, p_fingerprint text, p_lang text DEFAULT NULL,
  OUT o_kind text, OUT o_status int, OUT o_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_name text;
  v_price bigint;
  v_power int;
  v_amount bigint;
  v_tx bigint;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'claimed' THEN RETURN; END IF;
  o_kind := 'done';
  -- The player row first, as in a purchase: a sale never holds an inventory row while waiting for it.
  SELECT balance INTO v_balance FROM players WHERE id = p_player FOR NO KEY UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'no player %', p_player USING ERRCODE = 'P0002'; END IF;
  -- Retired items can still be sold.
  SELECT COALESCE(names ->> p_lang, name), price, power INTO v_name, v_price, v_power
  FROM items WHERE id = p_item;
  IF NOT FOUND THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'ITEM_NOT_FOUND', 'itemId', p_item)::text;
  ELSIF NOT EXISTS (SELECT 1 FROM inventory WHERE player_id = p_player AND item_id = p_item) THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'NOT_OWNED', 'name', v_name)::text;
  ELSE
    v_amount := mg_sell_price(v_price, p_percent);
    IF v_balance + v_amount > 1000000000000000 THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'BALANCE_LIMIT', 'balance', v_balance, 'amount', v_amount)::text;
    ELSE
      DELETE FROM inventory WHERE player_id = p_player AND item_id = p_item;
      UPDATE players SET balance = balance + v_amount, updated_at = now() WHERE id = p_player
      RETURNING balance INTO v_balance;
      INSERT INTO ledger (player_id, type, amount, balance_after, item_id)
      VALUES (p_player, 'sale', v_amount, v_balance, p_item) RETURNING id INTO v_tx;
      o_status := 200;
      o_outcome := json_build_object(
        'balance', v_balance,
        'amount', v_amount,
        'item', json_build_object('id', p_item, 'name', v_name, 'price', v_price, 'power', v_power),
        'transactionId', v_tx::text)::text;
    END IF;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
