-- A sale back to the shop (POST /me/items/{id}/sell; retired items too), paying mg_sell_price. Answers
-- and stores its values as mg_shop_buy does. The fast path credits first (the player's row lock, and the
-- balance bound, in one UPDATE) and then deletes the inventory row, so the player row is always locked
-- before an inventory row, as in a purchase; an item not owned has the credit taken back. A failure is
-- tried once more under the player's row lock, then refused in the rules' order: no such item, not owned,
-- the balance bound.
CREATE OR REPLACE FUNCTION mg_shop_sell(p_player uuid, p_item int, p_percent int,
  p_key text, p_fingerprint text, p_name text,
  OUT o_kind text, OUT o_status int, OUT o_code text, OUT o_balance bigint, OUT o_price bigint,
  OUT o_power int, OUT o_amount bigint, OUT o_tx bigint, OUT o_stored text)
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
  FROM items WHERE id = p_item;
  IF FOUND THEN
    o_amount := mg_sell_price(o_price, p_percent);
    -- At most twice: the second time under the player's row lock, so what it finds is what the rules see.
    FOR v_try IN 1..2 LOOP
      IF v_try = 2 THEN PERFORM mg_lock_player(p_player); END IF;
      UPDATE players SET balance = balance + o_amount, updated_at = now()
      WHERE id = p_player AND balance + o_amount <= mg_max_money()
      RETURNING balance INTO o_balance;
      IF FOUND THEN
        DELETE FROM inventory WHERE player_id = p_player AND item_id = p_item;
        IF FOUND THEN
          INSERT INTO ledger (player_id, type, amount, balance_after, item_id)
          VALUES (p_player, 'sale', o_amount, o_balance, p_item) RETURNING id INTO o_tx;
          o_status := 200;
          EXIT;
        END IF;
        -- Not owned: the credit is taken back (same transaction, so no one ever saw it).
        UPDATE players SET balance = balance - o_amount WHERE id = p_player;
      END IF;
    END LOOP;
  END IF;
  IF o_status IS NULL THEN
    -- Refused: which rule, in the rules' order, under the player's row lock.
    o_balance := mg_lock_player(p_player);
    IF o_price IS NULL THEN
      o_status := 404;
      o_code := 'ITEM_NOT_FOUND';
    ELSIF NOT EXISTS (SELECT 1 FROM inventory WHERE player_id = p_player AND item_id = p_item) THEN
      o_status := 409;
      o_code := 'NOT_OWNED';
    ELSE
      o_status := 409;
      o_code := 'BALANCE_LIMIT';
    END IF;
  END IF;
  IF p_key IS NOT NULL THEN
    o_stored := json_build_object('v', 2, 'status', o_status, 'code', o_code, 'balance', o_balance,
      'price', o_price, 'power', o_power, 'name', p_name, 'amount', o_amount, 'tx', o_tx)::text;
    PERFORM mg_store_key(p_player, p_key, o_status, o_stored);
  END IF;
END $$;
