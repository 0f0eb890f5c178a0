/** How a money move's answer leaves over HTTP: the exact bytes of the first answer, flagged when replayed. */
import type { FastifyReply } from 'fastify';
import { sendJsonText } from '../../lib/http';
import type { MoneyMoveResponse } from './idempotency';

export function sendMoneyMove(reply: FastifyReply, result: MoneyMoveResponse): FastifyReply {
  if (result.replayed) void reply.header('idempotent-replayed', 'true');
  return sendJsonText(reply, result.statusCode, result.body);
}
