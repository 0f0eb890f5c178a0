-- Claims an Idempotency-Key for this transaction: the preamble of every keyed move, which goes on only
-- when this answers 'done' (no key, or the key claimed; the move then stores its answer with
-- mg_store_key), and otherwise returns at once what this answered: 'replay' with the stored answer, or
-- 'reused' (the key belongs to a different request). A concurrent request with the same key blocks on
-- the insert until the first one commits (then replays its answer) or rolls back (then claims the key).
CREATE OR REPLACE FUNCTION mg_claim_key(p_player uuid, p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_fingerprint text;
BEGIN
  IF p_key IS NULL THEN
    o_kind := 'done';
    RETURN;
  END IF;
  LOOP
    INSERT INTO idempotency_keys (player_id, key, fingerprint, status_code, response)
    VALUES (p_player, p_key, p_fingerprint, 0, '')
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
      o_kind := 'done';
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
