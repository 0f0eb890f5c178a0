/**
 * The operator's console, players part (API.md "The operator's console"): search and read players, ban,
 * unban, export and delete an account, and the audit log. Deductions are the wallet's (mg_deduct).
 *
 * A ban and a deletion are each ONE transaction: the player's pending battles, its active listings and
 * then the players' rows are locked in the order every move takes them (admin-players.repository.ts
 * lockDealings), the challenges refunded and listings cancelled by the wallet's own SQL functions, the
 * sessions revoked (deleted), the player changed and the audit entry written. Only after the commit are
 * the other nodes told: each ended token's cached lookup is orphaned and `session.revoked` closes its
 * sockets everywhere (4003 `banned` / `deleted`); the refunds and cancellations are announced as the moves
 * announce theirs, and the player leaves the quick-match queue.
 */
import type {
  AdminAction,
  AdminBan,
  AdminPlayer,
  AdminPlayerDetail,
  AdminPlayerPage,
  AdminPlayerQuery,
  AuditEntry,
  AuditLogPage,
  AuditLogQuery,
  BanBody,
  BattlePage,
  Language,
  OwnedItem,
  PageQuery,
  PlayerExport,
  Transaction,
  TransactionPage,
} from '@metagameplay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import { type Database, type Executor, pgErrorOf } from '../../db/client';
import type { Events } from '../../infra/events';
import type { MatchQueue } from '../../infra/match-queue';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { DomainError } from '../../lib/domain-error';
import { nicknameKeyOf } from '../auth/auth.service';
import type { AuthService } from '../auth/auth.service';
import { nicknameSkeletonOf } from '../auth/nickname';
import type { BattleService } from '../battles/battles.service';
import { listOwnedItems } from '../players/players.repository';
import type { PlayerService } from '../players/players.service';
import { sellerListings } from '../market/market.repository';
import type { ShopService } from '../shop/shop.service';
import type { WalletService } from '../wallet/wallet.service';
import {
  type AdminPlayerRow,
  type AuditRow,
  auditAfter,
  auditOfPlayer,
  auditPage,
  clearBan,
  dealingsGrew,
  deleteSessions,
  type EndedDealings,
  endDealings,
  exportItems,
  exportRows,
  findAdminPlayer,
  type LockedPlayer,
  lockDealings,
  lockPlayer,
  newestPlayers,
  revokeSessions,
  searchPlayers,
  sessionCounts,
  setBan,
  tombstone,
} from './admin-players.repository';
import { insertAuditEntry } from './audit-log.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Items and listings shown with a player (more than the catalog and the listing limit hold). */
const SHOWN = 1_000;
/** The audit export reads the log in pages of this many entries. */
const EXPORT_PAGE = 1_000;
/** A ban or deletion that keeps finding new dealings, or deadlocks, is tried this many times. */
const ATTEMPTS = 5;

/** Thrown inside a transaction to roll it back and run it again (its dealings grew meanwhile). */
class TryAgain extends Error {}

export interface AdminPlayersDeps {
  database: Pick<Database, 'db' | 'query'>;
  players: Pick<PlayerService, 'transactions'>;
  battles: Pick<BattleService, 'list'>;
  wallet: Pick<WalletService, 'announceBalances'>;
  auth: Pick<AuthService, 'sessionsEnded'>;
  events: Pick<Events, 'publish'>;
  matchQueue: Pick<MatchQueue, 'leave'>;
  catalog: Pick<ShopService, 'catalogChanged'>;
  config: Pick<Config, 'sellPricePercent'>;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

export class AdminPlayersService {
  constructor(private readonly deps: AdminPlayersDeps) {}

  /** A player id finds that player (deleted too); else a nickname prefix; without `q` the newest first. */
  async search(query: AdminPlayerQuery): Promise<AdminPlayerPage> {
    const db = this.deps.database.db;
    const limit = query.limit ?? 20;
    const q = query.q?.trim() ?? '';
    if (UUID.test(q)) {
      if (query.cursor !== undefined) return { players: [], nextCursor: null };
      const row = await findAdminPlayer(db, q.toLowerCase());
      return { players: row ? [adminPlayerOf(row)] : [], nextCursor: null };
    }
    if (q !== '') {
      const afterId = query.cursor === undefined ? null : decodeCursor<[string]>(query.cursor, ['s'])[0];
      if (afterId !== null && !UUID.test(afterId)) throw invalidCursor();
      const rows = await searchPlayers(db, {
        key: nicknameKeyOf(q),
        skeleton: nicknameSkeletonOf(q),
        afterId,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        players: page.map(adminPlayerOf),
        nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
      };
    }
    const after =
      query.cursor === undefined ? null : decodeCursor<[string, string]>(query.cursor, ['s', 's']);
    if (after && (!ISO.test(after[0]) || !UUID.test(after[1]))) throw invalidCursor();
    const rows = await newestPlayers(db, { after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      players: page.map(adminPlayerOf),
      nextCursor: rows.length > limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
    };
  }

  async player(id: string, language: Language): Promise<AdminPlayerDetail> {
    const db = this.deps.database.db;
    const row = await findAdminPlayer(db, id);
    if (!row) throw playerNotFound();
    const [sessions, items, listings] = await Promise.all([
      sessionCounts(db, id),
      this.#items(id, language),
      sellerListings(this.deps.database, id, SHOWN, language),
    ]);
    return { player: adminPlayerOf(row), sessions, items, listings };
  }

  async transactions(id: string, query: PageQuery, language: Language): Promise<TransactionPage> {
    await this.#existing(id);
    return this.deps.players.transactions(id, query, language);
  }

  async battles(id: string, query: { limit?: number; cursor?: string }): Promise<BattlePage> {
    await this.#existing(id);
    return this.deps.battles.list(id, query);
  }

  /**
   * Bans the player (a ban in force is replaced): in one transaction its sessions are revoked, its pending
   * challenges refunded both ways, its active listings cancelled, the ban set and the audit entry written.
   */
  async ban(
    adminId: string,
    id: string,
    body: BanBody,
    language: Language,
  ): Promise<{ player: AdminPlayer }> {
    const until = body.until === undefined ? null : new Date(body.until);
    if (until !== null && !(until.getTime() > Date.now())) {
      throw new DomainError('VALIDATION_ERROR', 'body/until must be in the future', [
        { field: 'body/until', message: 'must be in the future' },
      ]);
    }
    const untilIso = until?.toISOString() ?? null;
    const done = await this.#transaction(async (tx) => {
      const { player, dealings } = await lockDealings(tx, id, false);
      actionable(player, { notAdmin: true });
      if (await dealingsGrew(tx, id, dealings)) throw new TryAgain();
      const ended = await endDealings(tx, dealings, language);
      const tokens = await revokeSessions(tx, id);
      await setBan(tx, id, { reason: body.reason, until: untilIso });
      const previous = banOf(player);
      await this.#audit(tx, adminId, 'ban', id, body.reason, {
        until: untilIso,
        replaced: previous,
        sessionsRevoked: tokens.length,
        battlesRefunded: ended.battles.map((battle) => battle.id),
        listingsCancelled: ended.listings.map((listing) => listing.id),
      });
      return { ended, tokens };
    });
    await this.#announce(id, done.ended, done.tokens, 'banned');
    return { player: await this.#adminPlayer(id) };
  }

  async unban(adminId: string, id: string, reason: string): Promise<{ player: AdminPlayer }> {
    await this.#transaction(async (tx) => {
      const player = await lockPlayer(tx, id);
      actionable(player, { notAdmin: false });
      const ban = banOf(player);
      if (ban === null) throw new DomainError('NOT_BANNED', 'This pilot is not banned');
      await clearBan(tx, id);
      await this.#audit(tx, adminId, 'unban', id, reason, { ban });
    });
    return { player: await this.#adminPlayer(id) };
  }

  /**
   * Deletes the account: in one transaction, what a ban ends (sessions deleted here), its items, its
   * balance (one `account_closed` row), its name (freed), its password; the id, ledger and battles stay.
   */
  async delete(
    adminId: string,
    id: string,
    reason: string,
    language: Language,
  ): Promise<{ player: AdminPlayer }> {
    const done = await this.#transaction(async (tx) => {
      const { player, dealings } = await lockDealings(tx, id, true);
      actionable(player, { notAdmin: true });
      if (await dealingsGrew(tx, id, dealings)) throw new TryAgain();
      const ended = await endDealings(tx, dealings, language);
      const tokens = await deleteSessions(tx, id);
      const closed = await tombstone(tx, id, reason);
      await this.#audit(tx, adminId, 'delete', id, reason, {
        balance: closed.balance,
        transactionId: closed.transactionId,
        sessionsEnded: tokens.length,
        battlesRefunded: ended.battles.map((battle) => battle.id),
        listingsCancelled: ended.listings.map((listing) => listing.id),
      });
      // The tombstone's own balance event is of no use (its sockets close).
      delete ended.balances[id];
      return { ended, tokens };
    });
    await this.#announce(id, done.ended, done.tokens, 'deleted');
    return { player: await this.#adminPlayer(id) };
  }

  /** Everything stored about the player, read in one snapshot with the audit entry of the export. */
  async export(adminId: string, id: string, reason: string, language: Language): Promise<PlayerExport> {
    return this.deps.database.db.transaction(
      async (tx) => {
        const player = await findAdminPlayer(tx, id);
        if (!player) throw playerNotFound();
        if (player.deleted_at !== null) throw playerDeleted();
        await this.#audit(tx, adminId, 'export', id, reason, {});
        const rows = await exportRows(tx, id, language);
        const items = await exportItems(tx, id, language, this.deps.config.sellPricePercent);
        const audit = await auditOfPlayer(tx, id);
        return {
          exportedAt: new Date().toISOString(),
          player: rows.profile as PlayerExport['player'],
          items,
          listings: rows.listings,
          ledger: rows.ledger as unknown as Transaction[],
          battles: rows.battles,
          sessions: rows.sessions,
          auditEntries: audit.map(auditEntryOf),
        };
      },
      { isolationLevel: 'repeatable read' },
    );
  }

  async auditLog(query: AuditLogQuery): Promise<AuditLogPage> {
    const limit = query.limit ?? 20;
    const beforeId = query.cursor === undefined ? null : decodeCursor<[number]>(query.cursor, ['n'])[0];
    const rows = await auditPage(this.deps.database.db, {
      playerId: query.playerId ?? null,
      action: query.action ?? null,
      beforeId,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      entries: page.map(auditEntryOf),
      nextCursor: rows.length > limit && last ? encodeCursor([Number(last.id)]) : null,
    };
  }

  /** The whole audit log, oldest first, read a page at a time. */
  async auditLogAll(): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for (let afterId = 0; ; ) {
      const rows = await auditAfter(this.deps.database.db, afterId, EXPORT_PAGE);
      entries.push(...rows.map(auditEntryOf));
      const last = rows.at(-1);
      if (rows.length < EXPORT_PAGE || !last) return entries;
      afterId = Number(last.id);
    }
  }

  async #items(id: string, language: Language): Promise<OwnedItem[]> {
    const rows = await listOwnedItems(
      this.deps.database,
      id,
      0,
      SHOWN,
      language,
      this.deps.config.sellPricePercent,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      price: r.price,
      sellPrice: r.sellPrice,
      power: r.power,
      acquiredAt: r.acquiredAt.toISOString(),
      ...(r.listingId ? { listingId: r.listingId } : {}),
    }));
  }

  async #existing(id: string): Promise<void> {
    if (!(await findAdminPlayer(this.deps.database.db, id))) throw playerNotFound();
  }

  async #adminPlayer(id: string): Promise<AdminPlayer> {
    const row = await findAdminPlayer(this.deps.database.db, id);
    if (!row) throw playerNotFound();
    return adminPlayerOf(row);
  }

  #audit(
    tx: Executor,
    adminId: string,
    action: AdminAction,
    playerId: string,
    reason: string,
    details: Record<string, unknown>,
  ): Promise<number> {
    return insertAuditEntry(tx, { adminId, action, playerId, reason, details });
  }

  /** Runs one transaction, again when its dealings grew meanwhile or it deadlocked (then nothing was done). */
  async #transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.deps.database.db.transaction(work);
      } catch (error) {
        const again = error instanceof TryAgain || pgErrorOf(error).code === '40P01';
        if (!again) throw error;
        if (attempt >= ATTEMPTS) {
          throw new DomainError('SERVICE_UNAVAILABLE', 'The player is busy; try again', undefined, {
            'retry-after': '1',
          });
        }
      }
    }
  }

  /** After the commit: every node refuses and closes the ended sessions; the refunds are announced. */
  async #announce(
    playerId: string,
    ended: EndedDealings,
    tokens: string[],
    reason: 'banned' | 'deleted',
  ): Promise<void> {
    await this.deps.auth.sessionsEnded(tokens, reason);
    for (const battle of ended.battles) {
      void this.deps.events.publish('battle.cancelled', { battle }).catch(() => undefined);
    }
    this.deps.wallet.announceBalances(ended.balances);
    if (ended.listings.length > 0) await this.deps.catalog.catalogChanged();
    try {
      await this.deps.matchQueue.leave(playerId);
    } catch (error) {
      // Its sockets close, so it goes offline and the queue drops it then (the gateway's onOffline).
      this.deps.log.warn({ err: error }, 'could not take a banned player out of the quick-match queue');
    }
  }
}

/** Refuses an action on a missing or deleted player, and (`notAdmin`) on an admin. */
function actionable(
  player: LockedPlayer | null,
  rules: { notAdmin: boolean },
): asserts player is LockedPlayer {
  if (!player) throw playerNotFound();
  if (player.deletedAt !== null) throw playerDeleted();
  if (rules.notAdmin && player.role === 'admin') {
    throw new DomainError('TARGET_IS_ADMIN', 'An admin cannot be banned or deleted');
  }
}

/** The ban in force (a temporary one past its end is none). */
function banOf(player: {
  bannedAt: Date | null;
  bannedUntil: Date | null;
  banReason: string | null;
}): AdminBan | null {
  if (player.bannedAt === null) return null;
  if (player.bannedUntil !== null && player.bannedUntil.getTime() <= Date.now()) return null;
  return {
    reason: player.banReason ?? '',
    at: player.bannedAt.toISOString(),
    until: player.bannedUntil?.toISOString() ?? null,
  };
}

export function adminPlayerOf(row: AdminPlayerRow): AdminPlayer {
  return {
    id: row.id,
    nickname: row.nickname,
    role: row.role,
    balance: row.balance,
    rating: row.rating,
    wins: row.wins,
    losses: row.losses,
    power: Number(row.power),
    itemCount: Number(row.item_count),
    createdAt: row.created_at.toISOString(),
    banned: banOf({ bannedAt: row.banned_at, bannedUntil: row.banned_until, banReason: row.ban_reason }),
    deletedAt: row.deleted_at?.toISOString() ?? null,
  };
}

export function auditEntryOf(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    action: row.action,
    adminId: row.admin_id,
    adminNickname: row.admin_nickname,
    playerId: row.player_id,
    playerNickname: row.player_nickname,
    itemId: row.item_id,
    reason: row.reason,
    details: row.details ?? {},
    createdAt: row.created_at,
  };
}

function playerNotFound(): DomainError {
  return new DomainError('PLAYER_NOT_FOUND', 'No such player');
}

function playerDeleted(): DomainError {
  return new DomainError('PLAYER_DELETED', 'The account was deleted: it cannot be acted on');
}

function invalidCursor(): DomainError {
  return new DomainError('VALIDATION_ERROR', 'Invalid cursor', [
    { field: 'querystring/cursor', message: 'not a cursor from this list' },
  ]);
}
