-- Stores a move's answer under its Idempotency-Key (claimed by mg_claim_key in the same transaction).
CREATE OR REPLACE FUNCTION mg_store_key(p_player uuid, p_key text, p_status int, p_outcome text) RETURNS void
LANGUAGE sql AS $$
  UPDATE idempotency_keys SET status_code = p_status, response = p_outcome
  WHERE p_key IS NOT NULL AND player_id = p_player AND key = p_key
$$;
