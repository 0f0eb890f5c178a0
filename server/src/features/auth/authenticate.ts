/**
 * Bearer-token authentication as route hooks: `requirePlayer` resolves the session (cache, then
 * database) and sets request.player; `requireAdmin` also checks the role, read fresh from the database
 * so a promotion or demotion takes effect at once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedPlayer, AuthService } from './auth.service';
import type { PlayerService } from '../players/players.service';
import { DomainError } from '../../lib/domain-error';

declare module 'fastify' {
  interface FastifyRequest {
    player: AuthenticatedPlayer | null;
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export function authenticatedPlayer(request: FastifyRequest): AuthenticatedPlayer {
  if (!request.player) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
  return request.player;
}

export function requirePlayer(auth: Pick<AuthService, 'authenticate'>) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request);
    if (!token) throw new DomainError('UNAUTHENTICATED', 'Missing bearer token');
    const player = await auth.authenticate(token);
    if (!player) throw new DomainError('UNAUTHENTICATED', 'The token is invalid, expired or revoked');
    request.player = player;
  };
}

export function requireAdmin(auth: Pick<AuthService, 'authenticate'>, players: Pick<PlayerService, 'role'>) {
  const player = requirePlayer(auth);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await player(request, reply);
    const role = await players.role(authenticatedPlayer(request).id);
    if (role !== 'admin') throw new DomainError('FORBIDDEN', 'Admins only');
  };
}
