/** The shared protocol of MetaGameplay: schemas, error codes and money helpers for server and clients. */
export * from './elo';
export * from './errors';
export * from './events';
export * from './fairness';
export * from './ledger';
export * from './money';
export * from './schemas/admin';
export * from './schemas/admin-ops';
export * from './schemas/admin-console';
export * from './schemas/auth';
export * from './schemas/battles';
export * from './schemas/common';
export * from './schemas/market';
export * from './schemas/ops';
export * from './schemas/player';
export * from './schemas/shop';
export * from './ws';
