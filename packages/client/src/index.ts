/**
 * @metagameplay/client: the typed client of the MetaGameplay API, shared by the console and web games,
 * the bench and black-box tests: HTTP calls (api-client.ts) and the live WebSocket connection
 * (realtime.ts, its events in realtime-events.ts, the games' subscriptions in live-events.ts), with every battle re-checked by the protocol's `verifyBattle` (checked-battle.ts).
 */
export * from './admin-console';
export * from './api-client';
export * from './api-types';
export * from './checked-battle';
export * from './errors';
export { newClientSeed, newIdempotencyKey } from './idempotency-key';
export * from './event-listeners';
export * from './live-events';
export * from './realtime';
export * from './realtime-events';
export * from './retry';
export { globalSockets, headerAuthSockets, websocketUrl } from './sockets';
export type { HeaderWebSocketConstructor, SocketEvent, SocketFactory, WebSocketLike } from './sockets';
export { apiErrorFromResponse, HttpTransport } from './transport';
export type {
  HttpMethod,
  HttpResponse,
  JsonResult,
  QueryValue,
  RequestSpec,
  TransportOptions,
} from './transport';
