/** The player's own data (profile, balance, items, history) and the public profile others may see. */
import type {
  Language,
  OwnedItemPage,
  PlayerRole,
  PageQuery,
  PrivatePlayer,
  PublicPlayer,
  Transaction,
  TransactionPage,
} from '@metagameplay/protocol';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { DomainError } from '../../lib/domain-error';
import { findBalance, findProfile, findRole, listLedger, listOwnedItems } from './players.repository';

/** Who is online; the WebSocket feature provides the real one. */
export interface OnlineCheck {
  isOnline(playerId: string): Promise<boolean>;
}

export interface PlayerDeps {
  database: Pick<Database, 'db' | 'query'>;
  config: Pick<Config, 'sellPricePercent'>;
  online: OnlineCheck;
}

export class PlayerService {
  constructor(private readonly deps: PlayerDeps) {}

  async privateProfile(playerId: string): Promise<PrivatePlayer> {
    const row = await findProfile(this.deps.database.db, playerId);
    if (!row) throw new DomainError('PLAYER_NOT_FOUND', 'No such player');
    return {
      id: row.id,
      nickname: row.nickname,
      role: row.role,
      balance: row.balance,
      power: row.power,
      rating: row.rating,
      wins: row.wins,
      losses: row.losses,
      itemCount: row.itemCount,
      createdAt: row.createdAt.toISOString(),
    };
  }

  async publicProfile(playerId: string): Promise<PublicPlayer> {
    const [row, online] = await Promise.all([
      findProfile(this.deps.database.db, playerId),
      this.deps.online.isOnline(playerId),
    ]);
    if (!row) throw new DomainError('PLAYER_NOT_FOUND', 'No such player');
    return { id: row.id, nickname: row.nickname, power: row.power, rating: row.rating, online };
  }

  async balance(playerId: string): Promise<{ balance: number }> {
    const balance = await findBalance(this.deps.database.db, playerId);
    if (balance === null) throw new DomainError('PLAYER_NOT_FOUND', 'No such player');
    return { balance };
  }

  async role(playerId: string): Promise<PlayerRole | null> {
    return findRole(this.deps.database.db, playerId);
  }

  async items(playerId: string, query: PageQuery, language: Language): Promise<OwnedItemPage> {
    const limit = query.limit ?? 20;
    const [afterId] = query.cursor ? decodeCursor<[number]>(query.cursor, ['i']) : [0];
    const rows = await listOwnedItems(
      this.deps.database,
      playerId,
      afterId,
      limit + 1,
      language,
      this.deps.config.sellPricePercent,
    );
    const { page, nextCursor } = pageOf(rows, limit, (r) => [r.id]);
    return {
      items: page.map((r) => ({
        id: r.id,
        name: r.name,
        price: r.price,
        sellPrice: r.sellPrice,
        power: r.power,
        acquiredAt: r.acquiredAt.toISOString(),
        ...(r.listingId ? { listingId: r.listingId } : {}),
      })),
      nextCursor,
    };
  }

  async transactions(playerId: string, query: PageQuery, language: Language): Promise<TransactionPage> {
    const limit = query.limit ?? 20;
    const beforeId = query.cursor ? decodeCursor<[number]>(query.cursor, ['n'])[0] : null;
    const rows = await listLedger(this.deps.database.db, playerId, beforeId, limit + 1, language);
    const { page, nextCursor } = pageOf(rows, limit, (r) => [r.id]);
    return {
      transactions: page.map(
        (r): Transaction => ({
          id: String(r.id),
          type: r.type,
          amount: r.amount,
          balanceAfter: r.balanceAfter,
          itemId: r.itemId,
          itemName: r.itemName,
          battleId: r.battleId,
          listingId: r.listingId,
          note: r.note,
          createdAt: r.createdAt.toISOString(),
        }),
      ),
      nextCursor,
    };
  }
}
