/** Small helpers shared by route modules. */
import { ErrorBody } from '@metagameplay/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Error responses a route may give, for its schema (and so for the OpenAPI document). */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody]));
}

/** Sends JSON that is already serialized (cached pages, stored idempotent responses) as it is. */
export function sendJsonText(reply: FastifyReply, status: number, body: string | Buffer): FastifyReply {
  void reply.code(status);
  if (status === 304) return reply.send();
  return reply.type('application/json; charset=utf-8').send(body);
}

export const bearerAuth = [{ bearerAuth: [] }];

/** preValidation of a route whose body is optional: a bare request counts as {}. */
export async function optionalBody(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}
