-- Locks two players' rows in id order (the order every move that takes two uses) and answers their
-- balances (null for one that does not exist).
CREATE OR REPLACE FUNCTION mg_lock_pair(p_first uuid, p_second uuid, OUT o_first bigint, OUT o_second bigint)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM players WHERE id IN (p_first, p_second) ORDER BY id FOR NO KEY UPDATE;
  SELECT balance INTO o_first FROM players WHERE id = p_first;
  SELECT balance INTO o_second FROM players WHERE id = p_second;
END $$;
