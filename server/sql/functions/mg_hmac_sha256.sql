-- HMAC-SHA256 (RFC 2104) from the core sha256(); keys of up to 64 bytes (the seed is 32).
CREATE OR REPLACE FUNCTION mg_hmac_sha256(p_key bytea, p_message bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  v_key bytea := p_key || decode(repeat('00', 64 - length(p_key)), 'hex');
  v_inner bytea := v_key;
  v_outer bytea := v_key;
BEGIN
  FOR i IN 0..63 LOOP
    v_inner := set_byte(v_inner, i, get_byte(v_key, i) # 54);  -- 0x36
    v_outer := set_byte(v_outer, i, get_byte(v_key, i) # 92);  -- 0x5c
  END LOOP;
  RETURN sha256(v_outer || sha256(v_inner || p_message));
END $$;
