-- The wallet's money moves as server-side functions: each move is one statement from the server (one
-- round trip, Idempotency-Key included), planned once per connection (prepared by name on the client,
-- plpgsql caches the plans of the statements inside).
--
-- Lock order, the same in every move: the idempotency row (its insert also takes KEY SHARE on the
-- player row, through the foreign key), then the player row (FOR NO KEY UPDATE, which does not conflict
-- with those KEY SHARE locks), then inventory and ledger rows. Moves touching two players lock them in
-- id order. So one player's concurrent buys and sells queue on the player row and never deadlock.
--
-- Each function answers (o_kind, o_status, o_outcome): kind 'done' (the move ran, or a rule refused it:
-- both are stored under the key), 'replay' (the key's stored answer), 'reused' (the key belongs to a
-- different request). o_outcome is JSON: the response body of a success, or {"code": ...} and the facts
-- a rule error's message is made from. 1000000000000000 is MAX_MONEY (packages/protocol).

CREATE OR REPLACE FUNCTION mg_sell_price(p_price bigint, p_percent int) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT p_price * p_percent / 100 $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION mg_iso(p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
--> statement-breakpoint
-- Claims an Idempotency-Key for this transaction. A concurrent request with the same key blocks on the
-- insert until the first one commits (then replays its answer) or rolls back (then claims the key).
CREATE OR REPLACE FUNCTION mg_claim_key(p_player uuid, p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_fingerprint text;
BEGIN
  IF p_key IS NULL THEN
    o_kind := 'claimed';
    RETURN;
  END IF;
  LOOP
    INSERT INTO idempotency_keys (player_id, key, fingerprint, status_code, response)
    VALUES (p_player, p_key, p_fingerprint, 0, '')
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
      o_kind := 'claimed';
      RETURN;
    END IF;
    SELECT fingerprint, status_code, response INTO v_fingerprint, o_status, o_outcome
    FROM idempotency_keys WHERE player_id = p_player AND key = p_key;
    IF FOUND THEN
      o_kind := CASE WHEN v_fingerprint = p_fingerprint THEN 'replay' ELSE 'reused' END;
      RETURN;
    END IF;
    -- Deleted between the two statements (expired-key housekeeping): claim it afresh.
  END LOOP;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION mg_store_key(p_player uuid, p_key text, p_status int, p_outcome text) RETURNS void
LANGUAGE sql AS $$
  UPDATE idempotency_keys SET status_code = p_status, response = p_outcome
  WHERE p_key IS NOT NULL AND player_id = p_player AND key = p_key
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION mg_purchase(p_player uuid, p_item int, p_expected bigint, p_percent int,
  p_key text, p_fingerprint text, OUT o_kind text, OUT o_status int, OUT o_outcome text)
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
  SELECT name, price, power INTO v_name, v_price, v_power FROM items WHERE id = p_item AND active;
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
CREATE OR REPLACE FUNCTION mg_sale(p_player uuid, p_item int, p_percent int,
  p_key text, p_fingerprint text, OUT o_kind text, OUT o_status int, OUT o_outcome text)
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
  SELECT name, price, power INTO v_name, v_price, v_power FROM items WHERE id = p_item;
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
--> statement-breakpoint
-- An admin's grant: the key is the acting admin's, the money the player's.
CREATE OR REPLACE FUNCTION mg_grant(p_actor uuid, p_player uuid, p_amount bigint, p_reason text,
  p_key text, p_fingerprint text, OUT o_kind text, OUT o_status int, OUT o_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_tx bigint;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_actor, p_key, p_fingerprint) c;
  IF o_kind <> 'claimed' THEN RETURN; END IF;
  o_kind := 'done';
  SELECT balance INTO v_balance FROM players WHERE id = p_player FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'PLAYER_NOT_FOUND')::text;
  ELSIF v_balance + p_amount > 1000000000000000 THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'BALANCE_LIMIT', 'balance', v_balance, 'amount', p_amount)::text;
  ELSE
    UPDATE players SET balance = balance + p_amount, updated_at = now() WHERE id = p_player
    RETURNING balance INTO v_balance;
    INSERT INTO ledger (player_id, type, amount, balance_after, note)
    VALUES (p_player, 'admin_grant', p_amount, v_balance, p_reason) RETURNING id INTO v_tx;
    o_status := 200;
    o_outcome := json_build_object('balance', v_balance, 'transactionId', v_tx::text)::text;
  END IF;
  PERFORM mg_store_key(p_actor, p_key, o_status, o_outcome);
END $$;
