-- A sale back to the shop (retired items too), paying mg_sell_price; the name as in mg_purchase.
CREATE OR REPLACE FUNCTION mg_sale(p_player uuid, p_item int, p_percent int,
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
  IF o_kind <> 'done' THEN RETURN; END IF;
  -- The player row first, as in a purchase: a sale never holds an inventory row while waiting for it.
  v_balance := mg_lock_player(p_player);
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
    IF v_balance + v_amount > mg_max_money() THEN
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
