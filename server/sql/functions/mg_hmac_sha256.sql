-- HMAC-SHA256 (RFC 2104) from the core sha256(); keys of up to 64 bytes (the seed is 32). The key, padded
-- to the block's 64 bytes, is XORed with the pads as one 512-bit string (bit_send's first 4 bytes are its
-- length), where a byte-by-byte loop cost twice as much.
CREATE OR REPLACE FUNCTION mg_hmac_sha256(p_key bytea, p_message bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  v_key bit(512) := ('x' || rpad(encode(p_key, 'hex'), 128, '0'))::bit(512);
BEGIN
  RETURN sha256(substr(bit_send(v_key # ('x' || repeat('5c', 64))::bit(512)), 5)
                || sha256(substr(bit_send(v_key # ('x' || repeat('36', 64))::bit(512)), 5) || p_message));
END $$;
