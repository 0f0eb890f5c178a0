-- Locks two players' rows in id order (the order every move that takes two uses) and answers their
-- balances (null for one that does not exist), in one statement: the rows are locked above the sort, and
-- a row changed meanwhile is read as its latest version.
CREATE OR REPLACE FUNCTION mg_lock_pair(p_first uuid, p_second uuid, OUT o_first bigint, OUT o_second bigint)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT max(s.balance) FILTER (WHERE s.id = p_first), max(s.balance) FILTER (WHERE s.id = p_second)
  INTO o_first, o_second
  FROM (SELECT id, balance FROM players WHERE id IN (p_first, p_second) ORDER BY id FOR NO KEY UPDATE) s;
END $$;
