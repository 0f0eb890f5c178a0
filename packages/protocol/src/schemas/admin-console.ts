/**
 * The operator's console, players part (API.md "The operator's console"): search and read players, deduct
 * credits, ban and unban, export and delete an account, and the audit log of every admin action.
 */
import { type Static, Type } from 'typebox';
import { ADMIN_ACTIONS } from '../ledger';
import { MAX_MONEY } from '../money';
import { Battle } from './battles';
import { Cursor, Lang, Limit, Money, NextCursor, Timestamp, Uuid } from './common';
import { Listing } from './market';
import { OwnedItem, Role, Transaction } from './player';

/** Why an admin acts: every action takes one, kept in the audit log (and as the ledger note of a money move). */
export const AdminReason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'Why (1..500 characters)',
});

export const AdminReasonBody = Type.Object(
  { reason: AdminReason },
  { additionalProperties: false, title: 'AdminReasonRequest' },
);
export type AdminReasonBody = Static<typeof AdminReasonBody>;

export const DeductBody = Type.Object(
  {
    amount: Type.Integer({
      minimum: 1,
      maximum: MAX_MONEY,
      description: 'Minor units to take (at most the balance)',
    }),
    reason: AdminReason,
  },
  { additionalProperties: false, title: 'Deduct' },
);
export type DeductBody = Static<typeof DeductBody>;

export const BanBody = Type.Object(
  {
    reason: AdminReason,
    until: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'When the ban ends by itself (future); absent: until unbanned',
      }),
    ),
  },
  { additionalProperties: false, title: 'BanRequest' },
);
export type BanBody = Static<typeof BanBody>;

export const AdminBan = Type.Object(
  {
    reason: Type.String(),
    at: Timestamp,
    until: Type.Union([Timestamp, Type.Null()], { description: 'null: until unbanned' }),
  },
  { title: 'AdminBan', description: 'A ban in force' },
);
export type AdminBan = Static<typeof AdminBan>;

export const AdminPlayer = Type.Object(
  {
    id: Uuid,
    nickname: Type.String(),
    role: Role,
    balance: Money,
    rating: Type.Integer(),
    wins: Type.Integer({ minimum: 0 }),
    losses: Type.Integer({ minimum: 0 }),
    power: Type.Integer({ minimum: 0 }),
    itemCount: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
    banned: Type.Union([AdminBan, Type.Null()], { description: 'The ban in force, or null' }),
    deletedAt: Type.Union([Timestamp, Type.Null()], {
      description: 'Set on a deleted account (a tombstone)',
    }),
  },
  { title: 'AdminPlayer', description: 'A player as the console shows it' },
);
export type AdminPlayer = Static<typeof AdminPlayer>;

export const AdminPlayerQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'A player id, or a nickname prefix (case- and confusable-insensitive)',
      }),
    ),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type AdminPlayerQuery = Static<typeof AdminPlayerQuery>;

export const AdminPlayerPage = Type.Object(
  { players: Type.Array(AdminPlayer), nextCursor: NextCursor },
  { title: 'AdminPlayerPage' },
);
export type AdminPlayerPage = Static<typeof AdminPlayerPage>;

export const AdminPlayerDetail = Type.Object(
  {
    player: AdminPlayer,
    sessions: Type.Object({
      active: Type.Integer({ minimum: 0, description: 'Sessions neither revoked nor expired' }),
      total: Type.Integer({
        minimum: 0,
        description: 'Sessions stored (dead ones go a day after their end)',
      }),
    }),
    items: Type.Array(OwnedItem),
    listings: Type.Array(Listing),
  },
  { title: 'AdminPlayerDetail' },
);
export type AdminPlayerDetail = Static<typeof AdminPlayerDetail>;

export const AdminPlayerResponse = Type.Object({ player: AdminPlayer }, { title: 'AdminPlayerResponse' });
export type AdminPlayerResponse = Static<typeof AdminPlayerResponse>;

export const AdminActionName = Type.Enum(ADMIN_ACTIONS, { title: 'AdminAction' });

export const AuditEntry = Type.Object(
  {
    id: Type.String({ description: 'A decimal string of a 64-bit integer' }),
    action: AdminActionName,
    adminId: Uuid,
    adminNickname: Type.String(),
    playerId: Type.Union([Uuid, Type.Null()]),
    playerNickname: Type.Union([Type.String(), Type.Null()]),
    itemId: Type.Union([Type.Integer(), Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()]),
    details: Type.Record(Type.String(), Type.Unknown(), { description: 'What the action changed' }),
    createdAt: Timestamp,
  },
  { title: 'AuditEntry', description: 'One admin action' },
);
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditLogQuery = Type.Object(
  {
    playerId: Type.Optional(Uuid),
    action: Type.Optional(AdminActionName),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type AuditLogQuery = Static<typeof AuditLogQuery>;

export const AuditLogPage = Type.Object(
  { entries: Type.Array(AuditEntry), nextCursor: NextCursor },
  { title: 'AuditLogPage' },
);
export type AuditLogPage = Static<typeof AuditLogPage>;

export const AuditExportQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })) },
  { additionalProperties: false },
);
export type AuditExportQuery = Static<typeof AuditExportQuery>;

export const AuditLogExport = Type.Object(
  { exportedAt: Timestamp, entries: Type.Array(AuditEntry) },
  { title: 'AuditLogExport', description: 'The whole audit log, oldest first (format=json)' },
);
export type AuditLogExport = Static<typeof AuditLogExport>;

export const ExportedSession = Type.Object(
  { createdAt: Timestamp, expiresAt: Timestamp, revokedAt: Type.Union([Timestamp, Type.Null()]) },
  { title: 'ExportedSession', description: 'A session: its times only, never its token' },
);

export const PlayerExport = Type.Object(
  {
    exportedAt: Timestamp,
    player: Type.Object({
      id: Uuid,
      nickname: Type.String(),
      role: Role,
      balance: Money,
      rating: Type.Integer(),
      wins: Type.Integer({ minimum: 0 }),
      losses: Type.Integer({ minimum: 0 }),
      createdAt: Timestamp,
      updatedAt: Timestamp,
      lastBonusAt: Type.Union([Timestamp, Type.Null()]),
      bannedAt: Type.Union([Timestamp, Type.Null()]),
      bannedUntil: Type.Union([Timestamp, Type.Null()]),
      banReason: Type.Union([Type.String(), Type.Null()]),
      deletedAt: Type.Union([Timestamp, Type.Null()]),
    }),
    items: Type.Array(OwnedItem),
    listings: Type.Array(Listing, { description: 'Every listing it sold or bought' }),
    ledger: Type.Array(Transaction, { description: 'Every ledger row, oldest first' }),
    battles: Type.Array(Battle, { description: 'Every battle, oldest first' }),
    sessions: Type.Array(ExportedSession),
    auditEntries: Type.Array(AuditEntry, { description: 'The admin actions about the player' }),
  },
  { title: 'PlayerExport', description: 'Everything stored about a player (no password or token hashes)' },
);
export type PlayerExport = Static<typeof PlayerExport>;

/** The page queries of a player's transactions and battles, read by an admin. */
export const AdminPageQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor), lang: Type.Optional(Lang) },
  { additionalProperties: false },
);
export type AdminPageQuery = Static<typeof AdminPageQuery>;
