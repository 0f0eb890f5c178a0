/**
 * The operator's console endpoints (API.md "The operator's console", issue 16): the types of their
 * answers as the contract writes them, and the calls, reached through `ApiClient.admin` next to the
 * older admin calls (items, grant). Every action carries the operator's `reason`; grant and deduct
 * draw one Idempotency-Key per call, as every money move does. The two downloads (a player's export,
 * the audit log) come back as the file's text, for the caller to save.
 */
import {
  ADMIN_ACTIONS,
  type BattlePage,
  type Listing,
  type OwnedItem,
  type TransactionPage,
} from '@metagameplay/protocol';
import type { PageQuery } from './api-types';
import type { HttpMethod, QueryValue, RequestSpec } from './transport';

export interface AdminBan {
  reason: string;
  at: string;
  /** null: until unbanned. */
  until: string | null;
}

/** `adminPlayer`: a player as the console sees it. */
export interface AdminPlayer {
  id: string;
  nickname: string;
  role: 'player' | 'admin';
  balance: number;
  rating: number;
  wins: number;
  losses: number;
  power: number;
  itemCount: number;
  createdAt: string;
  banned: AdminBan | null;
  deletedAt: string | null;
}

export interface AdminPlayerPage {
  players: AdminPlayer[];
  nextCursor: string | null;
}

export interface AdminPlayerDetail {
  player: AdminPlayer;
  sessions: { active: number; total: number };
  items: OwnedItem[];
  listings: Listing[];
}

export interface AdminPlayerResponse {
  player: AdminPlayer;
}

export interface AdminMoneyBody {
  /** Minor units, ≥ 1. */
  amount: number;
  reason: string;
}

export interface AdminMoneyResponse {
  balance: number;
  transactionId: string;
}

export interface BanBody {
  reason: string;
  /** ISO instant in the future; absent: until unbanned. */
  until?: string;
}

export interface ReasonBody {
  reason: string;
}

export interface OptionalReasonBody {
  reason?: string;
}

/** What an admin did, as the audit log names it: the protocol's list, one source for server and clients. */
export const AUDIT_ACTIONS = ADMIN_ACTIONS;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: string;
  action: AuditAction;
  adminId: string;
  adminNickname: string;
  playerId: string | null;
  playerNickname: string | null;
  itemId: number | null;
  reason: string | null;
  details: unknown;
  createdAt: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

export interface AuditQuery extends PageQuery {
  playerId?: string;
  action?: AuditAction;
}

export type AuditExportFormat = 'json' | 'csv';

/** `catalogItem`: a catalog entry with its translations, retired ones too. */
export interface CatalogItem {
  id: number;
  name: string;
  names: Record<string, string>;
  price: number;
  power: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CatalogResponse {
  items: CatalogItem[];
}

export interface CatalogItemResponse {
  item: CatalogItem;
}

export interface BooksFinding {
  check: string;
  message: string;
}

export interface BooksCheck {
  ok: boolean;
  findings: BooksFinding[];
  checkedAt: string;
  durationMs: number;
}

/** One sample of a node's counters (every `intervalMs`). */
export interface DashboardPoint {
  /** ISO timestamp or epoch milliseconds: the console accepts both. */
  t: string | number;
  playersOnline: number;
  requestsPerSecond: number;
  moneyMovesPerSecond: number;
  battlesPerSecond: number;
  errorsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface NodeSeries {
  nodeId: string;
  self: boolean;
  startedAt: string;
  postgres: 'ok' | 'down';
  redis: 'ok' | 'down' | 'off';
  series: DashboardPoint[];
}

export interface Dashboard {
  intervalMs: number;
  nodes: NodeSeries[];
  total: { series: DashboardPoint[] };
}

export interface EconomyDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  supply: number;
  flows: Record<string, { count: number; amount: number }>;
}

export type EconomyRange = 7 | 30 | 90;

export interface Economy {
  days: EconomyDay[];
  supply: number;
  escrow: number;
  topHolders: Array<{ id: string; nickname: string; balance: number }>;
}

/** A downloaded file: its text as the server sent it. */
export interface DownloadedFile {
  text: string;
  /** The server's Content-Type, e.g. `text/csv; charset=utf-8`. */
  contentType: string;
}

/** The console's calls; `ApiClient.admin` has them (with the older item and grant calls). */
export interface AdminConsoleApi {
  players(query?: PageQuery & { q?: string }): Promise<AdminPlayerPage>;
  playerDetail(playerId: string): Promise<AdminPlayerDetail>;
  playerTransactions(playerId: string, query?: PageQuery): Promise<TransactionPage>;
  playerBattles(playerId: string, query?: PageQuery): Promise<BattlePage>;
  deductCredits(
    playerId: string,
    body: AdminMoneyBody,
    options?: { idempotencyKey?: string },
  ): Promise<AdminMoneyResponse>;
  ban(playerId: string, body: BanBody): Promise<AdminPlayerResponse>;
  unban(playerId: string, body: ReasonBody): Promise<AdminPlayerResponse>;
  exportPlayer(playerId: string, body: ReasonBody): Promise<DownloadedFile>;
  deletePlayer(playerId: string, body: ReasonBody): Promise<AdminPlayerResponse>;
  auditLog(query?: AuditQuery): Promise<AuditPage>;
  exportAuditLog(format: AuditExportFormat): Promise<DownloadedFile>;
  catalog(): Promise<CatalogResponse>;
  restoreItem(itemId: number, body?: OptionalReasonBody): Promise<CatalogItemResponse>;
  checkBooks(body?: OptionalReasonBody): Promise<BooksCheck>;
  dashboard(): Promise<Dashboard>;
  economy(days: EconomyRange): Promise<Economy>;
}

/** What the console's calls need of the client: one request with its token, JSON or text back. */
export interface ConsoleTransport {
  json<T>(spec: Omit<RequestSpec, 'token'>): Promise<T>;
  text(spec: Omit<RequestSpec, 'token'>): Promise<DownloadedFile>;
  newIdempotencyKey(): string;
}

const ADMIN = '/api/v1/admin';

/** The console's calls over `transport` (see ApiClient's constructor). */
export function adminConsoleCalls(transport: ConsoleTransport): AdminConsoleApi {
  const get = <T>(path: string, query?: Readonly<Record<string, QueryValue>>): Promise<T> =>
    transport.json({ method: 'GET', path, query, retry: 'idempotent' });
  // Actions write an audit row each, so a retry is made only when the first attempt surely never left.
  const act = <T>(method: HttpMethod, path: string, body?: unknown): Promise<T> =>
    transport.json({ method, path, body, retry: 'once' });
  const player = (id: string): string => `${ADMIN}/players/${encodeURIComponent(id)}`;
  return {
    players: (query = {}) =>
      get(`${ADMIN}/players`, { q: query.q, limit: query.limit, cursor: query.cursor }),
    playerDetail: (id) => get(player(id)),
    playerTransactions: (id, query = {}) =>
      get(`${player(id)}/transactions`, { limit: query.limit, cursor: query.cursor }),
    playerBattles: (id, query = {}) =>
      get(`${player(id)}/battles`, { limit: query.limit, cursor: query.cursor }),
    deductCredits: (id, body, options) =>
      transport.json({
        method: 'POST',
        path: `${player(id)}/deductions`,
        body,
        retry: 'idempotent',
        idempotencyKey: options?.idempotencyKey ?? transport.newIdempotencyKey(),
      }),
    ban: (id, body) => act('POST', `${player(id)}/ban`, body),
    unban: (id, body) => act('POST', `${player(id)}/unban`, body),
    exportPlayer: (id, body) =>
      transport.text({ method: 'POST', path: `${player(id)}/export`, body, retry: 'once' }),
    deletePlayer: (id, body) => act('POST', `${player(id)}/delete`, body),
    auditLog: (query = {}) =>
      get(`${ADMIN}/audit-log`, {
        playerId: query.playerId,
        action: query.action,
        limit: query.limit,
        cursor: query.cursor,
      }),
    exportAuditLog: (format) =>
      transport.text({
        method: 'GET',
        path: `${ADMIN}/audit-log/export`,
        query: { format },
        retry: 'idempotent',
      }),
    catalog: () => get(`${ADMIN}/items`),
    restoreItem: (id, body = {}) =>
      act('POST', `${ADMIN}/items/${encodeURIComponent(String(id))}/restore`, body),
    checkBooks: (body = {}) => act('POST', `${ADMIN}/books/check`, body),
    dashboard: () => get(`${ADMIN}/dashboard`),
    economy: (days) => get(`${ADMIN}/economy`, { days }),
  };
}
