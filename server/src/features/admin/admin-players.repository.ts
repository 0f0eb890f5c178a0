/**
 * SQL of the console's players part (API.md "The operator's console"): search and read players, the
 * statements of a ban, an unban and a deletion (run inside one transaction by the service), the export's
 * reads and the audit log's pages. Money and escrow are moved only by the wallet's SQL functions
 * (mg_battle_close, mg_market_close), so the ledger and the books audit stay right.
 */
import type { AdminAction, Battle, Listing, OwnedItem, PlayerRole } from '@metagameplay/protocol';
import { sql, type SQL } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client';

/** The last code point: a prefix's range is [prefix, prefix || U+10FFFF) in byte order (text_pattern_ops). */
const TOP = String.fromCodePoint(0x10ffff);

export interface AdminPlayerRow {
  id: string;
  nickname: string;
  role: PlayerRole;
  balance: number;
  rating: number;
  wins: number;
  losses: number;
  power: number;
  item_count: number;
  created_at: Date;
  banned_at: Date | null;
  banned_until: Date | null;
  ban_reason: string | null;
  deleted_at: Date | null;
}

/** The console's player columns of `page` (a subquery of players rows), with the hangar's power and size. */
function adminPlayersOf(page: SQL, order: SQL): SQL {
  return sql`
    SELECT p.id, p.nickname, p.role, p.balance, p.rating, p.wins, p.losses, p.created_at,
           p.banned_at, p.banned_until, p.ban_reason, p.deleted_at,
           COALESCE(h.power, 0)::int AS power, COALESCE(h.item_count, 0)::int AS item_count
    FROM (${page}) p
    LEFT JOIN LATERAL (SELECT SUM(i.power) AS power, COUNT(*) AS item_count
                       FROM inventory inv JOIN items i ON i.id = inv.item_id
                       WHERE inv.player_id = p.id) h ON true
    ORDER BY ${order}`;
}

async function adminPlayers(db: Executor, page: SQL, order: SQL): Promise<AdminPlayerRow[]> {
  return rowsOf<AdminPlayerRow>(await db.execute(adminPlayersOf(page, order))).map(fromRow);
}

function fromRow(row: AdminPlayerRow): AdminPlayerRow {
  const at = (value: Date | string | null) => (value === null ? null : new Date(value));
  return {
    ...row,
    balance: Number(row.balance),
    created_at: new Date(row.created_at),
    banned_at: at(row.banned_at),
    banned_until: at(row.banned_until),
    deleted_at: at(row.deleted_at),
  };
}

export async function findAdminPlayer(db: Executor, id: string): Promise<AdminPlayerRow | null> {
  const [row] = await adminPlayers(db, sql`SELECT * FROM players WHERE id = ${id}`, sql`p.id`);
  return row ?? null;
}

/**
 * Players whose login key starts with `key` or whose confusable skeleton starts with `skeleton`, deleted
 * ones left out, by key after the key of player `afterId`. Each prefix is one range of its text_pattern_ops
 * index (a BitmapOr of the two), whatever the database's collation.
 */
export async function searchPlayers(
  db: Executor,
  query: { key: string; skeleton: string; afterId: string | null; limit: number },
): Promise<AdminPlayerRow[]> {
  const after =
    query.afterId === null
      ? sql``
      : sql`AND nickname_key ~>~ (SELECT nickname_key FROM players WHERE id = ${query.afterId})`;
  const page = sql`
    SELECT * FROM players
    WHERE ((nickname_key ~>=~ ${query.key} AND nickname_key ~<~ ${query.key + TOP})
           OR (nickname_skeleton ~>=~ ${query.skeleton} AND nickname_skeleton ~<~ ${query.skeleton + TOP}))
      AND deleted_at IS NULL ${after}
    ORDER BY nickname_key COLLATE "C"
    LIMIT ${query.limit}`;
  return adminPlayers(db, page, sql`p.nickname_key COLLATE "C"`);
}

/** The newest players first (deleted ones left out), after (createdAt, id); served by players_created_at_idx. */
export async function newestPlayers(
  db: Executor,
  query: { after: readonly [string, string] | null; limit: number },
): Promise<AdminPlayerRow[]> {
  const after =
    query.after === null
      ? sql``
      : sql`AND (created_at, id) < (${query.after[0]}::timestamptz, ${query.after[1]}::uuid)`;
  // NULLS LAST as the index is built (a bare DESC means NULLS FIRST, which it does not serve).
  const page = sql`
    SELECT * FROM players WHERE deleted_at IS NULL ${after}
    ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST
    LIMIT ${query.limit}`;
  return adminPlayers(db, page, sql`p.created_at DESC, p.id DESC`);
}

export async function sessionCounts(
  db: Executor,
  playerId: string,
): Promise<{ active: number; total: number }> {
  const [row] = rowsOf<{ active: number | string; total: number | string }>(
    await db.execute(sql`
      SELECT count(*) FILTER (WHERE revoked_at IS NULL AND expires_at > now()) AS active, count(*) AS total
      FROM sessions WHERE player_id = ${playerId}`),
  );
  return { active: Number(row?.active ?? 0), total: Number(row?.total ?? 0) };
}

// ---- a ban, an unban, a deletion: the statements of the service's one transaction ----

export interface LockedPlayer {
  id: string;
  role: PlayerRole;
  balance: number;
  deletedAt: Date | null;
  bannedAt: Date | null;
  bannedUntil: Date | null;
  banReason: string | null;
}

export interface Dealings {
  /** The pending battles the player is in, locked: id, and whether it is the challenger. */
  battles: { id: string; challenger: boolean; otherId: string }[];
  /** Its active listings, locked. */
  listings: string[];
}

/**
 * Locks what a ban or a deletion ends, in the order every move takes its rows: the player's pending
 * battles (FOR UPDATE, by id), its active listings (FOR UPDATE, by id), then the players' rows in id order
 * (the target and every opponent to refund). `strong`: the target's row FOR UPDATE (a deletion changes its
 * unique keys), else FOR NO KEY UPDATE. Answers the target (null: no such player) and what it locked.
 */
export async function lockDealings(
  tx: Executor,
  playerId: string,
  strong: boolean,
): Promise<{ player: LockedPlayer | null; dealings: Dealings }> {
  const battles = rowsOf<{ id: string; challenger_id: string; opponent_id: string }>(
    await tx.execute(sql`
      SELECT id, challenger_id, opponent_id FROM battles
      WHERE status = 'pending' AND (challenger_id = ${playerId} OR opponent_id = ${playerId})
      ORDER BY id FOR UPDATE`),
  );
  const listings = rowsOf<{ id: string }>(
    await tx.execute(sql`
      SELECT id FROM market_listings WHERE seller_id = ${playerId} AND status = 'active'
      ORDER BY id FOR UPDATE`),
  ).map((row) => row.id);
  const dealings: Dealings = {
    battles: battles.map((b) => ({
      id: b.id,
      challenger: b.challenger_id === playerId,
      otherId: b.challenger_id === playerId ? b.opponent_id : b.challenger_id,
    })),
    listings,
  };
  const ids = [...new Set([playerId, ...dealings.battles.map((b) => b.otherId)])].sort();
  // The target's row FOR UPDATE when asked; the others FOR NO KEY UPDATE, as mg_lock_pair; one id order.
  for (const id of ids) {
    await tx.execute(
      id === playerId && strong
        ? sql`SELECT 1 FROM players WHERE id = ${id} FOR UPDATE`
        : sql`SELECT 1 FROM players WHERE id = ${id} FOR NO KEY UPDATE`,
    );
  }
  return { player: await readLocked(tx, playerId), dealings };
}

/** Locks the player's row alone (an unban) and answers it. */
export async function lockPlayer(tx: Executor, playerId: string): Promise<LockedPlayer | null> {
  await tx.execute(sql`SELECT 1 FROM players WHERE id = ${playerId} FOR NO KEY UPDATE`);
  return readLocked(tx, playerId);
}

async function readLocked(tx: Executor, playerId: string): Promise<LockedPlayer | null> {
  const [row] = rowsOf<{
    id: string;
    role: PlayerRole;
    balance: number;
    deleted_at: Date | string | null;
    banned_at: Date | string | null;
    banned_until: Date | string | null;
    ban_reason: string | null;
  }>(
    await tx.execute(sql`
      SELECT id, role, balance, deleted_at, banned_at, banned_until, ban_reason FROM players WHERE id = ${playerId}`),
  );
  if (!row) return null;
  const at = (value: Date | string | null) => (value === null ? null : new Date(value));
  return {
    id: row.id,
    role: row.role,
    balance: Number(row.balance),
    deletedAt: at(row.deleted_at),
    bannedAt: at(row.banned_at),
    bannedUntil: at(row.banned_until),
    banReason: row.ban_reason,
  };
}

/**
 * True when a pending battle or an active listing of the player exists that `dealings` did not lock
 * (one committed between those locks and the player's): the caller starts again.
 */
export async function dealingsGrew(tx: Executor, playerId: string, dealings: Dealings): Promise<boolean> {
  const [row] = rowsOf<{ battles: number | string; listings: number | string }>(
    await tx.execute(sql`
      SELECT (SELECT count(*) FROM battles WHERE status = 'pending'
                AND (challenger_id = ${playerId} OR opponent_id = ${playerId})) AS battles,
             (SELECT count(*) FROM market_listings WHERE seller_id = ${playerId} AND status = 'active') AS listings`),
  );
  return (
    Number(row?.battles) !== dealings.battles.length || Number(row?.listings) !== dealings.listings.length
  );
}

export interface EndedDealings {
  battles: Battle[];
  listings: Listing[];
  /** Balances the refunds moved, by player id. */
  balances: Record<string, number>;
}

/**
 * Ends the locked dealings with the wallet's own functions: each pending battle refunded as `cancelled`
 * (the player challenged) or `declined` (it was challenged), each listing `cancelled` (its item back).
 */
export async function endDealings(
  tx: Executor,
  dealings: Dealings,
  language: string,
): Promise<EndedDealings> {
  const ended: EndedDealings = { battles: [], listings: [], balances: {} };
  for (const battle of dealings.battles) {
    const [row] = rowsOf<{ o_battle: Battle; o_balances: Record<string, number | string> }>(
      await tx.execute(sql`
        SELECT o_battle, o_balances FROM mg_battle_close(${battle.id}, ${battle.challenger ? 'cancelled' : 'declined'})`),
    );
    if (!row) continue;
    ended.battles.push(row.o_battle);
    for (const [id, balance] of Object.entries(row.o_balances ?? {})) ended.balances[id] = Number(balance);
  }
  for (const id of dealings.listings) {
    const [row] = rowsOf<{ listing: Listing }>(
      await tx.execute(sql`SELECT mg_market_close(${id}, 'cancelled', ${language}) AS listing`),
    );
    if (row) ended.listings.push(row.listing);
  }
  return ended;
}

/** Revokes the player's sessions; answers the hashes of those that were live. */
export async function revokeSessions(tx: Executor, playerId: string): Promise<string[]> {
  return rowsOf<{ token_hash: string }>(
    await tx.execute(sql`
      UPDATE sessions SET revoked_at = now()
      WHERE player_id = ${playerId} AND revoked_at IS NULL AND expires_at > now()
      RETURNING token_hash`),
  ).map((row) => row.token_hash);
}

/** Deletes the player's sessions; answers the hashes of those that were live. */
export async function deleteSessions(tx: Executor, playerId: string): Promise<string[]> {
  return rowsOf<{ token_hash: string; live: boolean }>(
    await tx.execute(sql`
      DELETE FROM sessions WHERE player_id = ${playerId}
      RETURNING token_hash, (revoked_at IS NULL AND expires_at > now()) AS live`),
  )
    .filter((row) => row.live)
    .map((row) => row.token_hash);
}

export async function setBan(
  tx: Executor,
  playerId: string,
  ban: { reason: string; until: string | null },
): Promise<void> {
  await tx.execute(sql`
    UPDATE players SET banned_at = now(), banned_until = ${ban.until}::timestamptz, ban_reason = ${ban.reason},
           updated_at = now()
    WHERE id = ${playerId}`);
}

export async function clearBan(tx: Executor, playerId: string): Promise<void> {
  await tx.execute(sql`
    UPDATE players SET banned_at = NULL, banned_until = NULL, ban_reason = NULL, updated_at = now()
    WHERE id = ${playerId}`);
}

/** The password hash of a tombstone: no argon2 hash looks like it, so no password matches it. */
export const DELETED_PASSWORD = '!deleted';

/**
 * Makes the (locked) player a tombstone: its items gone, its balance taken out by one `account_closed`
 * ledger row (the reason as note), the nickname replaced, the login key and skeleton freed (set to values
 * no nickname has: they contain ':'), the password hash replaced, its idempotency keys (stored answers)
 * dropped, the ban cleared. Answers the balance taken and the ledger row's id.
 */
export async function tombstone(
  tx: Executor,
  playerId: string,
  reason: string,
): Promise<{ balance: number; transactionId: string }> {
  await tx.execute(sql`DELETE FROM inventory WHERE player_id = ${playerId}`);
  await tx.execute(sql`DELETE FROM idempotency_keys WHERE player_id = ${playerId}`);
  const [closed] = rowsOf<{ amount: number | string; id: number | string }>(
    await tx.execute(sql`
      WITH before AS (SELECT balance FROM players WHERE id = ${playerId}),
      zeroed AS (UPDATE players SET balance = 0 WHERE id = ${playerId} RETURNING id)
      INSERT INTO ledger (player_id, type, amount, balance_after, note)
      SELECT ${playerId}, 'account_closed', -before.balance, 0, ${reason} FROM before, zeroed
      RETURNING amount, id`),
  );
  await tx.execute(sql`
    UPDATE players SET nickname = 'deleted-' || left(replace(id::text, '-', ''), 8),
           nickname_key = 'deleted:' || id::text, nickname_skeleton = 'deleted:' || id::text,
           password_hash = ${DELETED_PASSWORD}, last_bonus_at = NULL,
           banned_at = NULL, banned_until = NULL, ban_reason = NULL,
           deleted_at = now(), updated_at = now()
    WHERE id = ${playerId}`);
  return { balance: -Number(closed?.amount ?? 0), transactionId: String(closed?.id ?? '') };
}

// ---- the export ----

export interface ExportRows {
  profile: Record<string, unknown> | null;
  listings: Listing[];
  ledger: Record<string, unknown>[];
  battles: Battle[];
  sessions: { createdAt: string; expiresAt: string; revokedAt: string | null }[];
}

/** Everything stored about a player but its items and audit entries (read by the service's own calls). */
export async function exportRows(db: Executor, playerId: string, language: string): Promise<ExportRows> {
  const [profile] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      SELECT id, nickname, role, balance, rating, wins, losses,
             mg_iso(created_at) AS "createdAt", mg_iso(updated_at) AS "updatedAt",
             mg_iso(last_bonus_at) AS "lastBonusAt", mg_iso(banned_at) AS "bannedAt",
             mg_iso(banned_until) AS "bannedUntil", ban_reason AS "banReason", mg_iso(deleted_at) AS "deletedAt"
      FROM players WHERE id = ${playerId}`),
  );
  const listings = rowsOf<{ listing: Listing }>(
    await db.execute(sql`
      SELECT mg_listing_json(l, ${language}) AS listing FROM market_listings l
      WHERE l.seller_id = ${playerId} OR l.buyer_id = ${playerId}
      ORDER BY l.created_at, l.id`),
  ).map((row) => row.listing);
  const ledger = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      SELECT l.id::text AS id, l.type, l.amount, l.balance_after AS "balanceAfter", l.item_id AS "itemId",
             COALESCE(i.names ->> ${language}, i.name) AS "itemName", l.battle_id AS "battleId",
             l.listing_id AS "listingId", l.note, mg_iso(l.created_at) AS "createdAt"
      FROM ledger l LEFT JOIN items i ON i.id = l.item_id
      WHERE l.player_id = ${playerId} ORDER BY l.id`),
  ).map((row) => ({ ...row, amount: Number(row.amount), balanceAfter: Number(row.balanceAfter) }));
  const battles = rowsOf<{ battle: Battle }>(
    await db.execute(sql`
      SELECT mg_battle_json(b) AS battle FROM battles b
      WHERE b.challenger_id = ${playerId} OR b.opponent_id = ${playerId}
      ORDER BY b.created_at, b.id`),
  ).map((row) => row.battle);
  const sessions = rowsOf<{ createdAt: string; expiresAt: string; revokedAt: string | null }>(
    await db.execute(sql`
      SELECT mg_iso(created_at) AS "createdAt", mg_iso(expires_at) AS "expiresAt", mg_iso(revoked_at) AS "revokedAt"
      FROM sessions WHERE player_id = ${playerId} ORDER BY created_at`),
  );
  return {
    profile: profile ? { ...profile, balance: Number(profile.balance) } : null,
    listings,
    ledger,
    battles,
    sessions,
  };
}

/** The player's items (hangar and escrow) in the export's snapshot. */
export async function exportItems(
  tx: Executor,
  id: string,
  language: string,
  sellPercent: number,
): Promise<OwnedItem[]> {
  const rows = rowsOf<{
    id: number;
    name: string;
    price: number | string;
    sell_price: number | string;
    power: number;
    acquired_at: string;
    listing_id: string | null;
  }>(
    await tx.execute(sql`
      SELECT i.id, COALESCE(i.names ->> ${language}, i.name) AS name, i.price,
             mg_sell_price(i.price, ${sellPercent}::int) AS sell_price, i.power, mg_iso(o.acquired_at) AS acquired_at,
             o.listing_id
      FROM (SELECT item_id, acquired_at, NULL::uuid AS listing_id FROM inventory WHERE player_id = ${id}
            UNION ALL
            SELECT item_id, created_at, id FROM market_listings WHERE seller_id = ${id} AND status = 'active') o
      JOIN items i ON i.id = o.item_id
      ORDER BY o.item_id`),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    price: Number(r.price),
    sellPrice: Number(r.sell_price),
    power: r.power,
    acquiredAt: r.acquired_at,
    ...(r.listing_id ? { listingId: r.listing_id } : {}),
  }));
}

// ---- the audit log ----

export interface AuditRow {
  id: string;
  action: AdminAction;
  admin_id: string;
  admin_nickname: string;
  player_id: string | null;
  player_nickname: string | null;
  item_id: number | null;
  reason: string | null;
  details: Record<string, unknown>;
  created_at: string;
}

const AUDIT_COLUMNS = sql`
  a.id::text AS id, a.action, a.admin_id, ad.nickname AS admin_nickname, a.player_id,
  pl.nickname AS player_nickname, a.item_id, a.reason, a.details, mg_iso(a.created_at) AS created_at`;

/**
 * A page of the audit log, newest first, before entry `beforeId`, of one player and/or one action. With a
 * filter the order is `id DESC NULLS LAST`, as its index (player_id, id DESC NULLS LAST) or (action, ...)
 * is built; without, a backward scan of the primary key.
 */
export async function auditPage(
  db: Executor,
  query: { playerId: string | null; action: AdminAction | null; beforeId: number | null; limit: number },
): Promise<AuditRow[]> {
  const where: SQL[] = [];
  if (query.playerId !== null) where.push(sql`a.player_id = ${query.playerId}`);
  if (query.action !== null) where.push(sql`a.action = ${query.action}`);
  if (query.beforeId !== null) where.push(sql`a.id < ${query.beforeId}`);
  const filtered = query.playerId !== null || query.action !== null;
  const page = sql`
    SELECT * FROM admin_audit_log a
    ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
    ORDER BY ${filtered ? sql`a.id DESC NULLS LAST` : sql`a.id DESC`}
    LIMIT ${query.limit}`;
  return rowsOf<AuditRow>(
    await db.execute(sql`
      SELECT ${AUDIT_COLUMNS}
      FROM (${page}) a
      JOIN players ad ON ad.id = a.admin_id
      LEFT JOIN players pl ON pl.id = a.player_id
      ORDER BY a.id DESC`),
  );
}

/** The audit entries after entry `afterId`, oldest first (the export reads the whole log in such pages). */
export async function auditAfter(db: Executor, afterId: number, limit: number): Promise<AuditRow[]> {
  return rowsOf<AuditRow>(
    await db.execute(sql`
      SELECT ${AUDIT_COLUMNS}
      FROM (SELECT * FROM admin_audit_log WHERE id > ${afterId} ORDER BY id LIMIT ${limit}) a
      JOIN players ad ON ad.id = a.admin_id
      LEFT JOIN players pl ON pl.id = a.player_id
      ORDER BY a.id`),
  );
}

/** Every audit entry about a player, oldest first (the export). */
export async function auditOfPlayer(db: Executor, playerId: string): Promise<AuditRow[]> {
  return rowsOf<AuditRow>(
    await db.execute(sql`
      SELECT ${AUDIT_COLUMNS}
      FROM admin_audit_log a
      JOIN players ad ON ad.id = a.admin_id
      LEFT JOIN players pl ON pl.id = a.player_id
      WHERE a.player_id = ${playerId}
      ORDER BY a.id`),
  );
}
