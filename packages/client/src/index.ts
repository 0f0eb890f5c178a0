/**
 * @metagameplay/client: the typed client of the MetaGameplay API, shared by the console and web games,
 * the bench and black-box tests: HTTP calls (api-client.ts) and the live WebSocket connection
 * (realtime.ts), with every battle re-checked by the protocol's `verifyBattle` (checked-battle.ts).
 */
export * from './api-client';
export * from './checked-battle';
export * from './errors';
export { newClientSeed, newIdempotencyKey } from './idempotency-key';
export * from './realtime';
export * from './retry';
export { apiErrorFromResponse, HttpTransport } from './transport';
export type {
  HttpMethod,
  HttpResponse,
  JsonResult,
  QueryValue,
  RequestSpec,
  TransportOptions,
} from './transport';
