/** The operator's console: catalog, books, dashboard and economy (API.md "The operator's console"). */
import { type Static, Type } from 'typebox';
import { LEDGER_TYPES } from '../ledger';
import { ItemId, Money, SignedMoney, Timestamp, Uuid } from './common';
import { ItemNames, Reason } from './admin';

export const CatalogItem = Type.Object(
  {
    id: ItemId,
    name: Type.String(),
    names: ItemNames,
    price: Money,
    power: Type.Integer({ minimum: 0 }),
    active: Type.Boolean({ description: 'False once retired: not in the shop, owners keep it' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'CatalogItem', description: 'A catalog item as the console edits it' },
);
export type CatalogItem = Static<typeof CatalogItem>;

export const CatalogList = Type.Object({ items: Type.Array(CatalogItem) }, { title: 'CatalogList' });
export type CatalogList = Static<typeof CatalogList>;

export const CatalogItemResponse = Type.Object({ item: CatalogItem }, { title: 'CatalogItemResponse' });
export type CatalogItemResponse = Static<typeof CatalogItemResponse>;

export const OptionalReasonBody = Type.Object(
  { reason: Type.Optional(Reason) },
  { additionalProperties: false, title: 'OptionalReason' },
);
export type OptionalReasonBody = Static<typeof OptionalReasonBody>;

export const BooksCheck = Type.Object(
  {
    ok: Type.Boolean({ description: 'True when no check found anything' }),
    findings: Type.Array(Type.Object({ check: Type.String(), message: Type.String() })),
    checkedAt: Timestamp,
    durationMs: Type.Integer({ minimum: 0 }),
  },
  { title: 'BooksCheck' },
);
export type BooksCheck = Static<typeof BooksCheck>;

const Rate = Type.Number({ minimum: 0, description: 'Per second over the sampling interval' });
export const DashboardPoint = Type.Object(
  {
    t: Type.Integer({ description: 'When sampled, ms since epoch' }),
    playersOnline: Type.Integer({ minimum: 0 }),
    requestsPerSecond: Rate,
    moneyMovesPerSecond: Rate,
    battlesPerSecond: Rate,
    errorsPerSecond: Rate,
    p50Ms: Type.Number({ minimum: 0 }),
    p99Ms: Type.Number({ minimum: 0 }),
  },
  { title: 'DashboardPoint' },
);
export type DashboardPoint = Static<typeof DashboardPoint>;

export const DashboardNode = Type.Object(
  {
    nodeId: Type.String(),
    self: Type.Boolean({ description: 'The node that answered' }),
    startedAt: Timestamp,
    postgres: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
    redis: Type.Union([Type.Literal('ok'), Type.Literal('down'), Type.Literal('off')]),
    series: Type.Array(DashboardPoint),
  },
  { title: 'DashboardNode' },
);

export const Dashboard = Type.Object(
  {
    intervalMs: Type.Integer({ minimum: 1 }),
    nodes: Type.Array(DashboardNode),
    total: Type.Object({ series: Type.Array(DashboardPoint) }),
  },
  { title: 'Dashboard' },
);
export type Dashboard = Static<typeof Dashboard>;

export const EconomyQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Union([Type.Literal(7), Type.Literal(30), Type.Literal(90)], {
        default: 30,
        description: 'The range: the last 7, 30 or 90 days (UTC), today included',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EconomyQuery = Static<typeof EconomyQuery>;

const Flow = Type.Object({ count: Type.Integer({ minimum: 0 }), amount: SignedMoney });
export const EconomyDay = Type.Object(
  {
    day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A UTC day' }),
    supply: Type.Integer({ description: 'Σ balances + Σ escrowed stakes at the day’s end' }),
    flows: Type.Object(Object.fromEntries(LEDGER_TYPES.map((type) => [type, Type.Optional(Flow)])), {
      additionalProperties: false,
      description: 'Ledger rows of the day by type: how many, and their amounts summed (signed)',
    }),
  },
  { title: 'EconomyDay' },
);
export type EconomyDay = Static<typeof EconomyDay>;

export const Economy = Type.Object(
  {
    days: Type.Array(EconomyDay),
    supply: Type.Integer({ description: 'The money supply now' }),
    escrow: Money,
    topHolders: Type.Array(Type.Object({ id: Uuid, nickname: Type.String(), balance: Money })),
  },
  { title: 'Economy' },
);
export type Economy = Static<typeof Economy>;
