-- The API's view of a battle: the seed stays secret until the battle is resolved.
CREATE OR REPLACE FUNCTION mg_battle_json(b battles) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', b.id, 'challengerId', b.challenger_id, 'opponentId', b.opponent_id, 'stake', b.stake,
    'status', b.status, 'winnerId', b.winner_id,
    'challengerPower', b.challenger_power, 'opponentPower', b.opponent_power,
    'seedHash', b.seed_hash, 'seed', CASE WHEN b.status = 'resolved' THEN b.seed END,
    'challengerClientSeed', b.challenger_client_seed, 'opponentClientSeed', b.opponent_client_seed,
    'baseStrength', b.base_strength, 'ratingChange', b.rating_change,
    'createdAt', mg_iso(b.created_at), 'expiresAt', mg_iso(b.expires_at),
    'resolvedAt', CASE WHEN b.resolved_at IS NULL THEN NULL ELSE mg_iso(b.resolved_at) END)
$$;
