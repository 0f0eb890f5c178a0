CREATE TABLE "battles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"challenger_id" uuid NOT NULL,
	"opponent_id" uuid NOT NULL,
	"stake" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"winner_id" uuid,
	"challenger_power" integer,
	"opponent_power" integer,
	"seed" text NOT NULL,
	"seed_hash" text NOT NULL,
	"challenger_client_seed" text,
	"opponent_client_seed" text,
	"rating_change" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"resolved_at" timestamp (3) with time zone,
	CONSTRAINT "battles_two_players" CHECK ("battles"."challenger_id" <> "battles"."opponent_id"),
	CONSTRAINT "battles_stake_range" CHECK ("battles"."stake" >= 0 AND "battles"."stake" <= 1000000000000000),
	CONSTRAINT "battles_status_valid" CHECK ("battles"."status" in ('pending', 'resolved', 'declined', 'cancelled', 'expired')),
	CONSTRAINT "battles_resolved_complete" CHECK (("battles"."status" = 'resolved') = ("battles"."winner_id" IS NOT NULL AND "battles"."rating_change" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "battles" ADD CONSTRAINT "battles_challenger_id_players_id_fk" FOREIGN KEY ("challenger_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battles" ADD CONSTRAINT "battles_opponent_id_players_id_fk" FOREIGN KEY ("opponent_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battles" ADD CONSTRAINT "battles_winner_id_players_id_fk" FOREIGN KEY ("winner_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "battles_one_pending_per_pair" ON "battles" USING btree ("challenger_id","opponent_id") WHERE "battles"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "battles_challenger_idx" ON "battles" USING btree ("challenger_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "battles_opponent_idx" ON "battles" USING btree ("opponent_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "battles_pending_expiry_idx" ON "battles" USING btree ("expires_at") WHERE "battles"."status" = 'pending';--> statement-breakpoint
-- The battle moves of the wallet (features/wallet), as server-side functions like the shop's moves in
-- 0004: one statement from the server each, its Idempotency-Key claimed and stored inside. Lock order,
-- the same in every move: the idempotency row, then the battle row (FOR UPDATE), then the players' rows
-- in id order (FOR NO KEY UPDATE, as every money move takes them). So accept, decline, cancel, expiry and
-- resolution of one battle queue on its row and each happens exactly once, on any number of nodes.
--
-- Escrow: a pending battle holds the challenger's stake (ledger `battle_stake`); the accept holds the
-- opponent's and pays both to the winner at once (`battle_payout`); decline, cancel and expiry give the
-- challenger's back (`battle_refund`). A stake of 0 (a friendly battle) writes no ledger rows.
--
-- Besides (o_kind, o_status, o_outcome) of every money move, the battle moves answer o_battle, the
-- battle as the API shows it after the move (null when the move changed no battle), and o_balances,
-- {playerId: balance} of every player whose balance it moved: the service publishes them as events.

-- The API's view of a battle: the seed stays secret until the battle is resolved.
CREATE OR REPLACE FUNCTION mg_battle_json(b battles) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', b.id, 'challengerId', b.challenger_id, 'opponentId', b.opponent_id, 'stake', b.stake,
    'status', b.status, 'winnerId', b.winner_id,
    'challengerPower', b.challenger_power, 'opponentPower', b.opponent_power,
    'seedHash', b.seed_hash, 'seed', CASE WHEN b.status = 'resolved' THEN b.seed END,
    'challengerClientSeed', b.challenger_client_seed, 'opponentClientSeed', b.opponent_client_seed,
    'ratingChange', b.rating_change,
    'createdAt', mg_iso(b.created_at), 'expiresAt', mg_iso(b.expires_at),
    'resolvedAt', CASE WHEN b.resolved_at IS NULL THEN NULL ELSE mg_iso(b.resolved_at) END)
$$;
--> statement-breakpoint
-- A player's power: the sum of the powers of the items it owns (capped to an integer).
CREATE OR REPLACE FUNCTION mg_power(p_player uuid) RETURNS int
LANGUAGE sql STABLE AS $$
  SELECT LEAST(COALESCE(SUM(i.power), 0), 2147483647)::int
  FROM inventory inv JOIN items i ON i.id = inv.item_id WHERE inv.player_id = p_player
$$;
--> statement-breakpoint
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
--> statement-breakpoint
-- The outcome function of API.md (packages/protocol battleOutcome, checked by verifyBattle): the first 52
-- bits n of HMAC-SHA256(seed, "<battleId>:<challengerClientSeed>:<opponentClientSeed>"); the challenger
-- wins iff n·(cp+op) < cp·2^52 (both powers 0: n < 2^51).
CREATE OR REPLACE FUNCTION mg_challenger_wins(p_seed text, p_battle uuid, p_cs text, p_os text, p_cp int, p_op int)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  v_digest bytea := mg_hmac_sha256(decode(p_seed, 'hex'),
    convert_to(p_battle::text || ':' || COALESCE(p_cs, '') || ':' || COALESCE(p_os, ''), 'UTF8'));
  v_n numeric := ('x' || substr(encode(v_digest, 'hex'), 1, 13))::bit(52)::bigint;
BEGIN
  IF p_cp = 0 AND p_op = 0 THEN RETURN v_n < 2251799813685248; END IF;
  RETURN v_n * (p_cp::numeric + p_op) < p_cp::numeric * 4503599627370496;
END $$;
--> statement-breakpoint
-- Locks two players' rows in id order (the order every move that takes two uses) and answers their
-- balances (null for one that does not exist).
CREATE OR REPLACE FUNCTION mg_lock_pair(p_first uuid, p_second uuid, OUT o_first bigint, OUT o_second bigint)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM players WHERE id IN (p_first, p_second) ORDER BY id FOR NO KEY UPDATE;
  SELECT balance INTO o_first FROM players WHERE id = p_first;
  SELECT balance INTO o_second FROM players WHERE id = p_second;
END $$;
--> statement-breakpoint
-- Holds a player's stake for a battle (the player row locked by the caller): answers the balance after.
CREATE OR REPLACE FUNCTION mg_battle_hold(p_battle uuid, p_player uuid, p_stake bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
BEGIN
  UPDATE players SET balance = balance - p_stake, updated_at = now() WHERE id = p_player
  RETURNING balance INTO v_balance;
  INSERT INTO ledger (player_id, type, amount, balance_after, battle_id)
  VALUES (p_player, 'battle_stake', -p_stake, v_balance, p_battle);
  RETURN v_balance;
END $$;
--> statement-breakpoint
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
  v_challenger_wins := mg_challenger_wins(b.seed, b.id, b.challenger_client_seed, b.opponent_client_seed, v_cp, v_op);
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
--> statement-breakpoint
-- Ends a locked pending battle without a fight (declined, cancelled or expired): the challenger's stake
-- goes back.
CREATE OR REPLACE FUNCTION mg_battle_close(p_battle uuid, p_status text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_balance bigint;
BEGIN
  UPDATE battles SET status = p_status, resolved_at = now() WHERE id = p_battle RETURNING * INTO b;
  o_balances := '{}'::json;
  IF b.stake > 0 THEN
    UPDATE players SET balance = balance + b.stake, updated_at = now() WHERE id = b.challenger_id
    RETURNING balance INTO v_balance;
    INSERT INTO ledger (player_id, type, amount, balance_after, battle_id)
    VALUES (b.challenger_id, 'battle_refund', b.stake, v_balance, b.id);
    o_balances := json_build_object(b.challenger_id, v_balance);
  END IF;
  o_battle := mg_battle_json(b);
END $$;
--> statement-breakpoint
-- A challenge: the challenger's stake goes into escrow; the battle waits for the opponent until it expires.
-- Whether the opponent is online is the caller's knowledge (Presence lives in Redis), passed in so that a
-- replayed key still answers what it answered first.
CREATE OR REPLACE FUNCTION mg_battle_challenge(p_challenger uuid, p_opponent uuid, p_stake bigint,
  p_client_seed text, p_seed text, p_opponent_online boolean, p_ttl_seconds int, p_max_pending int,
  p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json,
  OUT o_expired json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_id uuid;
  v_balance bigint;
  v_pending int;
  v_same int;
  v_moved boolean := false;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_challenger, p_key, p_fingerprint) c;
  IF o_kind <> 'claimed' THEN RETURN; END IF;
  o_kind := 'done';
  -- A challenge to this opponent that expired but was not swept yet is expired now (battle row before
  -- player row, as everywhere), so it neither counts nor blocks the new one.
  -- o_expired is that battle as it ended (the service announces it as the sweep would have).
  FOR v_id IN SELECT id FROM battles WHERE challenger_id = p_challenger AND opponent_id = p_opponent
              AND status = 'pending' AND expires_at <= now() FOR UPDATE LOOP
    SELECT x.o_battle INTO o_expired FROM mg_battle_close(v_id, 'expired') x;
    v_moved := true;
  END LOOP;
  SELECT balance INTO v_balance FROM players WHERE id = p_challenger FOR NO KEY UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'no player %', p_challenger USING ERRCODE = 'P0002'; END IF;
  -- Counted under the challenger's row lock: two challenges of one player cannot both pass the limit.
  SELECT count(*), count(*) FILTER (WHERE opponent_id = p_opponent) INTO v_pending, v_same
  FROM battles WHERE challenger_id = p_challenger AND status = 'pending' AND expires_at > now();
  IF p_opponent = p_challenger THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INVALID_OPPONENT')::text;
  ELSIF NOT EXISTS (SELECT 1 FROM players WHERE id = p_opponent) THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'PLAYER_NOT_FOUND')::text;
  ELSIF NOT p_opponent_online THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'OPPONENT_OFFLINE')::text;
  ELSIF v_same > 0 OR v_pending >= p_max_pending THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'TOO_MANY_CHALLENGES', 'max', p_max_pending,
                                   'sameOpponent', v_same > 0)::text;
  ELSIF v_balance < p_stake THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', v_balance, 'required', p_stake)::text;
  ELSE
    INSERT INTO battles (challenger_id, opponent_id, stake, seed, seed_hash, challenger_client_seed, expires_at)
    VALUES (p_challenger, p_opponent, p_stake, p_seed, encode(sha256(decode(p_seed, 'hex')), 'hex'),
            p_client_seed, now() + make_interval(secs => p_ttl_seconds))
    RETURNING * INTO b;
    IF p_stake > 0 THEN
      v_balance := mg_battle_hold(b.id, p_challenger, p_stake);
      v_moved := true;
    END IF;
    o_battle := mg_battle_json(b);
    o_status := 201;
    o_outcome := json_build_object('battle', o_battle)::text;
  END IF;
  o_balances := CASE WHEN v_moved THEN json_build_object(p_challenger, v_balance) ELSE '{}'::json END;
  PERFORM mg_store_key(p_challenger, p_key, o_status, o_outcome);
END $$;
--> statement-breakpoint
-- Locks a battle for a move by p_player and answers a refusal, or null when the move may go on. A pending
-- battle past its expiry is expired here and now (refunded), so it is never accepted late.
CREATE OR REPLACE FUNCTION mg_battle_lock(p_battle uuid, p_player uuid, p_role text,
  OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
BEGIN
  SELECT * INTO b FROM battles WHERE id = p_battle FOR UPDATE;
  IF NOT FOUND OR p_player NOT IN (b.challenger_id, b.opponent_id) THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'NOT_FOUND', 'battleId', p_battle)::text;
  ELSIF (p_role = 'opponent' AND p_player <> b.opponent_id) OR (p_role = 'challenger' AND p_player <> b.challenger_id) THEN
    o_status := 403;
    o_outcome := json_build_object('code', 'FORBIDDEN', 'role', p_role)::text;
  ELSIF b.status = 'pending' AND b.expires_at <= now() THEN
    SELECT x.o_battle, x.o_balances INTO o_battle, o_balances FROM mg_battle_close(b.id, 'expired') x;
    o_status := 409;
    o_outcome := json_build_object('code', 'BATTLE_NOT_PENDING', 'status', 'expired')::text;
  ELSIF b.status <> 'pending' THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'BATTLE_NOT_PENDING', 'status', b.status)::text;
  END IF;
END $$;
--> statement-breakpoint
-- The opponent accepts: its stake is held and the battle is resolved at once.
CREATE OR REPLACE FUNCTION mg_battle_accept(p_battle uuid, p_player uuid, p_client_seed text,
  p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_cb bigint;
  v_ob bigint;
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'claimed' THEN RETURN; END IF;
  o_kind := 'done';
  SELECT l.o_status, l.o_outcome, l.o_battle, l.o_balances INTO o_status, o_outcome, o_battle, o_balances
  FROM mg_battle_lock(p_battle, p_player, 'opponent') l;
  IF o_status IS NULL THEN
    SELECT * INTO b FROM battles WHERE id = p_battle;
    SELECT l.o_first, l.o_second INTO v_cb, v_ob FROM mg_lock_pair(b.challenger_id, b.opponent_id) l;
    IF v_ob < b.stake THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', v_ob, 'required', b.stake)::text;
    ELSIF v_cb + 2 * b.stake > 1000000000000000 OR v_ob + b.stake > 1000000000000000 THEN
      o_status := 409;
      o_outcome := json_build_object('code', 'BALANCE_LIMIT', 'balance', GREATEST(v_cb, v_ob - b.stake),
                                     'amount', 2 * b.stake)::text;
    ELSE
      UPDATE battles SET opponent_client_seed = p_client_seed WHERE id = b.id;
      IF b.stake > 0 THEN
        v_ob := mg_battle_hold(b.id, b.opponent_id, b.stake);
      END IF;
      SELECT s.o_battle, s.o_balances INTO o_battle, o_balances FROM mg_battle_settle(b.id) s;
      IF b.stake > 0 AND (o_balances ->> b.opponent_id::text) IS NULL THEN
        -- The opponent lost: its balance moved by its stake.
        o_balances := (o_balances::jsonb || jsonb_build_object(b.opponent_id, v_ob))::json;
      END IF;
      o_status := 200;
      o_outcome := json_build_object('battle', o_battle)::text;
    END IF;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
--> statement-breakpoint
-- The opponent declines (p_action 'decline') or the challenger cancels ('cancel'): the stake goes back.
CREATE OR REPLACE FUNCTION mg_battle_end(p_battle uuid, p_player uuid, p_action text,
  p_key text, p_fingerprint text,
  OUT o_kind text, OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.o_kind, c.o_status, c.o_outcome INTO o_kind, o_status, o_outcome
  FROM mg_claim_key(p_player, p_key, p_fingerprint) c;
  IF o_kind <> 'claimed' THEN RETURN; END IF;
  o_kind := 'done';
  SELECT l.o_status, l.o_outcome, l.o_battle, l.o_balances INTO o_status, o_outcome, o_battle, o_balances
  FROM mg_battle_lock(p_battle, p_player, CASE WHEN p_action = 'decline' THEN 'opponent' ELSE 'challenger' END) l;
  IF o_status IS NULL THEN
    SELECT x.o_battle, x.o_balances INTO o_battle, o_balances
    FROM mg_battle_close(p_battle, CASE WHEN p_action = 'decline' THEN 'declined' ELSE 'cancelled' END) x;
    o_status := 200;
    o_outcome := json_build_object('battle', o_battle)::text;
  END IF;
  PERFORM mg_store_key(p_player, p_key, o_status, o_outcome);
END $$;
--> statement-breakpoint
-- Quick match: a battle between two matched players, both stakes held and resolved in one go, exactly as
-- an accepted challenge (no client seeds: neither side sent one).
CREATE OR REPLACE FUNCTION mg_battle_match(p_challenger uuid, p_opponent uuid, p_stake bigint, p_seed text,
  OUT o_status int, OUT o_outcome text, OUT o_battle json, OUT o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  b battles;
  v_cb bigint;
  v_ob bigint;
BEGIN
  SELECT l.o_first, l.o_second INTO v_cb, v_ob FROM mg_lock_pair(p_challenger, p_opponent) l;
  IF v_cb IS NULL OR v_ob IS NULL THEN
    o_status := 404;
    o_outcome := json_build_object('code', 'PLAYER_NOT_FOUND')::text;
  ELSIF p_challenger = p_opponent THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INVALID_OPPONENT')::text;
  ELSIF v_cb < p_stake OR v_ob < p_stake THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'INSUFFICIENT_FUNDS', 'balance', LEAST(v_cb, v_ob), 'required', p_stake,
                                   'playerId', CASE WHEN v_cb < p_stake THEN p_challenger ELSE p_opponent END)::text;
  ELSIF GREATEST(v_cb, v_ob) + p_stake > 1000000000000000 THEN
    o_status := 409;
    o_outcome := json_build_object('code', 'BALANCE_LIMIT', 'balance', GREATEST(v_cb, v_ob) - p_stake,
                                   'amount', 2 * p_stake)::text;
  ELSE
    INSERT INTO battles (challenger_id, opponent_id, stake, seed, seed_hash, expires_at)
    VALUES (p_challenger, p_opponent, p_stake, p_seed, encode(sha256(decode(p_seed, 'hex')), 'hex'), now())
    RETURNING * INTO b;
    IF p_stake > 0 THEN
      v_cb := mg_battle_hold(b.id, p_challenger, p_stake);
      v_ob := mg_battle_hold(b.id, p_opponent, p_stake);
    END IF;
    SELECT s.o_battle, s.o_balances INTO o_battle, o_balances FROM mg_battle_settle(b.id) s;
    IF p_stake > 0 THEN
      o_balances := (jsonb_build_object(p_challenger, v_cb, p_opponent, v_ob) || o_balances::jsonb)::json;
    END IF;
    o_status := 200;
    o_outcome := json_build_object('battle', o_battle)::text;
  END IF;
END $$;
--> statement-breakpoint
-- The expiry sweep, run by every node: refunds up to p_limit pending battles past their expiry. Rows
-- another node is handling are skipped (SKIP LOCKED); each battle is closed in a subtransaction, so one
-- that cannot be refunded (a balance at its maximum) is reported and the others still go.
CREATE OR REPLACE FUNCTION mg_battle_expire_due(p_limit int)
RETURNS TABLE (o_battle json, o_balances json)
LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
BEGIN
  FOR v_id IN SELECT id FROM battles WHERE status = 'pending' AND expires_at <= now()
              ORDER BY expires_at LIMIT p_limit FOR UPDATE SKIP LOCKED LOOP
    BEGIN
      SELECT x.o_battle, x.o_balances INTO o_battle, o_balances FROM mg_battle_close(v_id, 'expired') x;
      RETURN NEXT;
    EXCEPTION WHEN check_violation THEN
      RAISE WARNING 'battle % could not be refunded: %', v_id, SQLERRM;
    END;
  END LOOP;
END $$;
