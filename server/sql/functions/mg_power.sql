-- A player's power: the sum of the powers of the items it owns (capped to an integer). PL/pgSQL rather
-- than SQL: a SQL function with a FROM is not inlined, and called from PL/pgSQL (a battle's settlement) it
-- was parsed and planned on every call (measured 131 µs a call against 31 µs as PL/pgSQL, its plan kept).
CREATE OR REPLACE FUNCTION mg_power(p_player uuid) RETURNS int
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT LEAST(COALESCE(SUM(i.power), 0), 2147483647)::int
          FROM inventory inv JOIN items i ON i.id = inv.item_id WHERE inv.player_id = p_player);
END $$;
