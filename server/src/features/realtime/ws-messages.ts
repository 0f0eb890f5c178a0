/**
 * The frames of `/api/v1/ws`, checked both ways with the protocol's schemas: a client message before a
 * handler sees it, a server message before it is sent (one that fails its schema is a bug: logged, not sent).
 */
import { ClientMessage, ServerMessage } from '@metagameplay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData } from 'ws';
import { checker } from '../../lib/schema-check';

const checkClientMessage = checker(ClientMessage);
const checkServerMessage = checker(ServerMessage);

/** True when `data` is a valid client message; otherwise hands what is wrong with it to `refuse`. */
export function isClientMessage(data: unknown, refuse: (problem: string) => void): data is ClientMessage {
  const problem = checkClientMessage(data);
  if (problem !== null) refuse(problem);
  return problem === null;
}

/** The message as JSON text, or null (logged) when it does not match its schema. */
export function encode(message: ServerMessage, log: Pick<FastifyBaseLogger, 'error'>): string | null {
  const problem = checkServerMessage(message);
  if (problem) {
    log.error({ type: message.type, problem }, 'an outgoing WebSocket message fails its schema');
    return null;
  }
  return JSON.stringify(message);
}

export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
