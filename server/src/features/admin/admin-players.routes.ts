/** The operator's console, players part (API.md "The operator's console"): role admin only. */
import {
  AdminPageQuery,
  AdminPlayerDetail,
  AdminPlayerPage,
  AdminPlayerQuery,
  AdminPlayerResponse,
  AdminReasonBody,
  type AuditEntry,
  AuditExportQuery,
  AuditLogExport,
  AuditLogPage,
  AuditLogQuery,
  BanBody,
  BattlePage,
  DeductBody,
  GrantResponse,
  IdempotencyHeaders,
  IdParams,
  PlayerExport,
  TransactionPage,
} from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerAuth, errors } from '../../lib/http';
import { requestLanguage } from '../../lib/language';
import { authenticatedPlayer, requireAdmin } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import type { PlayerService } from '../players/players.service';
import { sendMoneyMove } from '../wallet/wallet.http';
import type { WalletService } from '../wallet/wallet.service';
import type { AdminPlayersService } from './admin-players.service';

export const adminPlayersRoutes: FastifyPluginAsyncTypebox<{
  auth: AuthService;
  players: PlayerService;
  wallet: WalletService;
  adminPlayers: AdminPlayersService;
}> = async (app, { auth, players, wallet, adminPlayers }) => {
  const onRequest = requireAdmin(auth, players);
  const tags = ['admin'];
  const security = bearerAuth;

  app.get(
    '/admin/players',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'searchPlayers',
        summary: 'Find players by id or nickname prefix',
        description:
          'A player id finds that player (a deleted one too); anything else is a nickname prefix compared ' +
          'like login (NFKC, lower case) and by confusable skeleton. Without `q`, the newest players first.',
        querystring: AdminPlayerQuery,
        response: { 200: AdminPlayerPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => adminPlayers.search(request.query),
  );

  app.get(
    '/admin/players/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'getAdminPlayer',
        summary: "A player's account, sessions, items and listings",
        description: 'The player as the console shows it, with its session counts, items and listings.',
        params: IdParams,
        querystring: Type.Object(
          { lang: Type.Optional(AdminPageQuery.properties.lang) },
          { additionalProperties: false },
        ),
        response: { 200: AdminPlayerDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => adminPlayers.player(request.params.id, requestLanguage(request)),
  );

  app.get(
    '/admin/players/:id/transactions',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listPlayerTransactions',
        summary: "A player's ledger, newest first",
        description: 'As `/me/transactions`, of that player.',
        params: IdParams,
        querystring: AdminPageQuery,
        response: { 200: TransactionPage, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => adminPlayers.transactions(request.params.id, request.query, requestLanguage(request)),
  );

  app.get(
    '/admin/players/:id/battles',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listPlayerBattles',
        summary: "A player's battles, newest first",
        description: 'As `/battles`, of that player.',
        params: IdParams,
        querystring: AdminPageQuery,
        response: { 200: BattlePage, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      adminPlayers.battles(request.params.id, { limit: request.query.limit, cursor: request.query.cursor }),
  );

  app.post(
    '/admin/players/:id/deductions',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'deductCredits',
        summary: "Take credits from a player's balance",
        description:
          'Debits a player (an `admin_deduct` ledger row with the reason as note), never below 0: more than ' +
          'the balance is a 409 INSUFFICIENT_FUNDS. Send an `Idempotency-Key` to retry safely; the key ' +
          'belongs to the acting admin.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: DeductBody,
        response: { 200: GrantResponse, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const answer = await wallet.deduct(
        authenticatedPlayer(request).id,
        request.params.id,
        request.body.amount,
        request.body.reason,
        request.headers['idempotency-key'],
      );
      return sendMoneyMove(reply, answer);
    },
  );

  app.post(
    '/admin/players/:id/ban',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'banPlayer',
        summary: 'Ban a player, until a time or until unbanned',
        description:
          'At once and in one transaction: its sessions revoked, pending challenges refunded, active listings ' +
          'cancelled; its sockets close (4003 `banned`) on every node. A banned player is replaced its ban; ' +
          'an admin cannot be banned (409 TARGET_IS_ADMIN); a past `until` is a 400.',
        params: IdParams,
        body: BanBody,
        response: { 200: AdminPlayerResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      adminPlayers.ban(
        authenticatedPlayer(request).id,
        request.params.id,
        request.body,
        requestLanguage(request),
      ),
  );

  app.post(
    '/admin/players/:id/unban',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'unbanPlayer',
        summary: 'Lift a ban',
        description: 'Lifts the ban in force; a player not banned is a 409 NOT_BANNED.',
        params: IdParams,
        body: AdminReasonBody,
        response: { 200: AdminPlayerResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      adminPlayers.unban(authenticatedPlayer(request).id, request.params.id, request.body.reason),
  );

  app.post(
    '/admin/players/:id/export',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'exportPlayer',
        summary: 'Everything stored about a player, as one JSON file',
        description:
          'Profile (no password hash), items, listings, every ledger row and battle, sessions (times only, ' +
          'never token hashes) and the audit entries about it; sent as an attachment.',
        params: IdParams,
        body: AdminReasonBody,
        response: { 200: PlayerExport, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const document = await adminPlayers.export(
        authenticatedPlayer(request).id,
        request.params.id,
        request.body.reason,
        requestLanguage(request),
      );
      void reply.header('content-disposition', `attachment; filename="player-${request.params.id}.json"`);
      return document;
    },
  );

  app.post(
    '/admin/players/:id/delete',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'deletePlayer',
        summary: 'Delete an account: it becomes a tombstone',
        description:
          'Erases the personal data (nickname replaced and freed, password and sessions removed), refunds ' +
          'pending challenges, cancels listings, clears the items and takes the balance out by one ' +
          '`account_closed` ledger row. The id, ledger and battles stay. An admin cannot be deleted.',
        params: IdParams,
        body: AdminReasonBody,
        response: { 200: AdminPlayerResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      adminPlayers.delete(
        authenticatedPlayer(request).id,
        request.params.id,
        request.body.reason,
        requestLanguage(request),
      ),
  );

  app.get(
    '/admin/audit-log',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listAuditLog',
        summary: 'The admin actions, newest first',
        description:
          'Every admin action with who did it, to whom, why and what changed; by player and/or action.',
        querystring: AuditLogQuery,
        response: { 200: AuditLogPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => adminPlayers.auditLog(request.query),
  );

  app.get(
    '/admin/audit-log/export',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'exportAuditLog',
        summary: 'The whole audit log as a file (JSON or CSV)',
        description:
          'Every entry, oldest first, as an attachment: `format=json` (default) or `csv` (RFC 4180, a header ' +
          'row; `details` as JSON text; a cell starting with = + - @ is prefixed with a quote).',
        querystring: AuditExportQuery,
        response: {
          200: {
            description: 'The log',
            content: {
              'application/json': { schema: AuditLogExport },
              'text/csv': { schema: Type.String() },
            },
          },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const entries = await adminPlayers.auditLogAll();
      const exportedAt = new Date().toISOString();
      const stamp = exportedAt.slice(0, 10);
      if (request.query.format === 'csv') {
        return reply
          .header('content-disposition', `attachment; filename="audit-log-${stamp}.csv"`)
          .type('text/csv; charset=utf-8')
          .send(csvOf(entries));
      }
      return reply
        .header('content-disposition', `attachment; filename="audit-log-${stamp}.json"`)
        .type('application/json; charset=utf-8')
        .send({ exportedAt, entries });
    },
  );
};

const CSV_COLUMNS = [
  'id',
  'createdAt',
  'action',
  'adminId',
  'adminNickname',
  'playerId',
  'playerNickname',
  'itemId',
  'reason',
  'details',
] as const;

/** RFC 4180 CSV with CRLF lines; formula-looking cells (= + - @, tab, CR) start with ' so no sheet runs them. */
export function csvOf(entries: readonly AuditEntry[]): string {
  const cell = (value: unknown): string => {
    let text =
      value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries) lines.push(CSV_COLUMNS.map((column) => cell(entry[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
