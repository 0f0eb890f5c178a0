-- Resolves a pending battle whose two stakes are held and whose players are locked: the powers now, the
-- outcome, the payout (both stakes to the winner), Elo with K = 32, wins and losses.
CREATE OR REPLACE FUNCTION mg_battle_settle(p_battle uuid, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_cp int;
  v_op int;
  v_rc int;
  v_ro int;
  v_challenger_wins boolean;
  v_winner uuid;
  v_loser uuid;
  v_expected numeric;
  v_change int;
  v_balance bigint;
BEGIN
  SELECT * INTO b FROM battles WHERE id = p_battle;
  v_cp := mg_power(b.challenger_id);
  v_op := mg_power(b.opponent_id);
  v_challenger_wins := mg_challenger_wins(b.seed, b.id, b.challenger_client_seed, b.opponent_client_seed, v_cp, v_op,
                                         b.base_strength);
  SELECT rating INTO v_rc FROM players WHERE id = b.challenger_id;
  SELECT rating INTO v_ro FROM players WHERE id = b.opponent_id;
  -- The challenger's expected score; the winner gains K·(1 − its expected score), the loser loses as much.
  v_expected := 1 / (1 + power(10::numeric, (v_ro - v_rc)::numeric / 400));
  IF v_challenger_wins THEN
    v_winner := b.challenger_id; v_loser := b.opponent_id;
    v_change := round(32 * (1 - v_expected));
  ELSE
    v_winner := b.opponent_id; v_loser := b.challenger_id;
    v_change := round(32 * v_expected);
  END IF;
  UPDATE players SET rating = rating + v_change, wins = wins + 1,
         balance = balance + 2 * b.stake, updated_at = now()
  WHERE id = v_winner RETURNING balance INTO v_balance;
  UPDATE players SET rating = rating - v_change, losses = losses + 1, updated_at = now() WHERE id = v_loser;
  IF b.stake > 0 THEN
    INSERT INTO ledger (player_id, type, amount, balance_after, battle_id)
    VALUES (v_winner, 'battle_payout', 2 * b.stake, v_balance, b.id);
  END IF;
  UPDATE battles SET status = 'resolved', winner_id = v_winner, challenger_power = v_cp, opponent_power = v_op,
         rating_change = v_change, resolved_at = now()
  WHERE id = b.id RETURNING * INTO b;
  o_battle := mg_battle_json(b);
  IF b.stake > 0 THEN
    o_balances := json_build_object(v_winner, v_balance);
  ELSE
    o_balances := '{}'::json;
  END IF;
END $$;
