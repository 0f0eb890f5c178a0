-- A player's power: the sum of the powers of the items it owns (capped to an integer).
CREATE OR REPLACE FUNCTION mg_power(p_player uuid) RETURNS int
LANGUAGE sql STABLE AS $$
  SELECT LEAST(COALESCE(SUM(i.power), 0), 2147483647)::int
  FROM inventory inv JOIN items i ON i.id = inv.item_id WHERE inv.player_id = p_player
$$;
