/**
 * @metagameplay/client: the typed HTTP client of the MetaGameplay API, shared by the console and web
 * games, the bench and black-box tests. Real-time battles (WebSocket) will join it as another module.
 */
export * from './api-client';
export * from './errors';
export { newIdempotencyKey } from './idempotency-key';
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
