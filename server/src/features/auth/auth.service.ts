/**
 * Accounts and sessions: registration, login (with the login bonus and the failed-login lock), logout,
 * and resolving a bearer token to its player. Tokens are 256 random bits; only their SHA-256 is stored.
 * Session lookups are cached under a versioned key (see sessionCacheKey); logout bumps the version before
 * it answers, so a revoked token is refused at once, on every node.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { SessionResponse } from '@metagameplay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import { type Database, type Executor, pgErrorOf } from '../../db/client';
import type { Cache } from '../../infra/cache';
import type { Events } from '../../infra/events';
import type { Metrics } from '../../infra/metrics';
import type { PasswordHasher } from '../../infra/password';
import type { RateLimitStore } from '../../infra/rate-limit-store';
import { DomainError } from '../../lib/domain-error';
import type { PlayerService } from '../players/players.service';
import {
  deleteDeadSessions,
  findBan,
  findCredentials,
  findLiveSession,
  findPlayersWithoutSkeleton,
  revokeSession,
  setNicknameSkeleton,
  setNicknameSkeletons,
} from './auth.repository';
import { nicknameProblem, nicknameSkeletonOf } from './nickname';
import { insertPlayerWithSession, openSessionWithBonus } from './sessions.repository';

export interface AuthenticatedPlayer {
  id: string;
  tokenHash: string;
  /** When the session expires, ms since epoch (WebSockets close then). */
  expiresAt: number;
}

const SESSION_CACHE_SECONDS = 60;

export function nicknameKeyOf(nickname: string): string {
  return nickname.normalize('NFKC').toLowerCase();
}

/**
 * Gives players registered before nickname skeletons existed theirs (start-up, after migrations). Where
 * two old names look alike, the first keeps the skeleton and the other stays without one: both can
 * still log in, and no new look-alike of either can register.
 */
export async function backfillNicknameSkeletons(
  db: Executor,
  log: Pick<FastifyBaseLogger, 'warn'>,
): Promise<void> {
  let afterId: string | null = null;
  let collisions = 0;
  for (;;) {
    const page = await findPlayersWithoutSkeleton(db, afterId, 500);
    const rows = page.map((row) => ({ id: row.id, skeleton: nicknameSkeletonOf(row.nickname) }));
    try {
      // One statement a page: a million old players take seconds, not the minutes of one update each.
      collisions += rows.length - (await setNicknameSkeletons(db, rows));
    } catch (error) {
      if (pgErrorOf(error).code !== '23505') throw error;
      for (const row of rows) if (!(await setNicknameSkeleton(db, row.id, row.skeleton))) collisions += 1;
    }
    if (page.length < 500) break;
    afterId = page[page.length - 1]?.id ?? null;
  }
  if (collisions > 0) log.warn({ collisions }, 'nicknames that look like older ones keep no skeleton');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface AuthDeps {
  config: Pick<
    Config,
    | 'loginBonusMin'
    | 'loginBonusMax'
    | 'loginBonusCooldownSeconds'
    | 'loginMaxFailures'
    | 'loginNicknameMaxFailures'
    | 'loginLockMinutes'
    | 'sessionTtlHours'
  >;
  database: Pick<Database, 'db' | 'query'>;
  cache: Pick<Cache, 'get' | 'set' | 'incr'>;
  events: Pick<Events, 'publish'>;
  rateLimits: Pick<RateLimitStore, 'peek' | 'hit' | 'reset'>;
  metrics: Pick<Metrics, 'logins' | 'failedLogins' | 'cacheLookup'>;
  passwords: Pick<PasswordHasher, 'hash' | 'verify'>;
  players: Pick<PlayerService, 'privateProfile'>;
}

export class AuthService {
  constructor(private readonly deps: AuthDeps) {}

  /** A login bonus in minor units, uniform over [min, max] credits inclusive. */
  drawBonus(): number {
    const { loginBonusMin, loginBonusMax } = this.deps.config;
    return randomInt(loginBonusMin * 100, loginBonusMax * 100 + 1);
  }

  async register(given: string, password: string): Promise<SessionResponse> {
    const problem = nicknameProblem(given);
    if (problem !== null) {
      throw new DomainError('VALIDATION_ERROR', `body/nickname ${problem}`, [
        { field: 'body/nickname', message: problem },
      ]);
    }
    // Stored composed (NFC): a name typed with combining marks shows like the same name typed composed.
    const nickname = given.normalize('NFC');
    const passwordHash = await this.deps.passwords.hash(password);
    const { token, tokenHash, expiresAt } = this.#newToken();
    const created = await insertPlayerWithSession(this.deps.database, {
      nickname,
      nicknameKey: nicknameKeyOf(nickname),
      nicknameSkeleton: nicknameSkeletonOf(nickname),
      passwordHash,
      bonus: this.drawBonus(),
      tokenHash,
      expiresAt,
    });
    if (!created) throw new DomainError('NICKNAME_TAKEN', `The nickname "${nickname}" is taken`);
    this.deps.metrics.logins.inc({ kind: 'register' });
    return this.#sessionResponse(token, expiresAt, created.id, created.bonus);
  }

  /**
   * Failed-login locks, two of them (as large services do): LOGIN_MAX_FAILURES wrong passwords for one
   * nickname from one address lock that pair for LOGIN_LOCK_MINUTES, so a stranger's guesses never lock
   * the pilot out of its own address; LOGIN_NICKNAME_MAX_FAILURES from all addresses together (a slower,
   * distributed guessing) lock the nickname for everyone. The failures come before the lock: with 5, the
   * 5th wrong password is a 401 and the 6th attempt a 429. A correct password clears its address's count.
   */
  async login(nickname: string, password: string, address = 'unknown'): Promise<SessionResponse> {
    const key = nicknameKeyOf(nickname);
    const locks = this.#loginLocks(key, address);
    for (const lock of locks) {
      const failures = await this.deps.rateLimits.peek(lock.key);
      if (failures && failures.count >= lock.max) throw lockedError(failures.resetAt);
    }
    const credentials = await findCredentials(this.deps.database.db, key);
    // A deleted account's key is freed at deletion; a tombstone found anyway is as unknown as a free name.
    if (!credentials || credentials.deletedAt !== null) {
      throw new DomainError('PLAYER_NOT_FOUND', `No pilot is called "${nickname}"`);
    }
    if (!(await this.deps.passwords.verify(credentials.passwordHash, password))) {
      this.deps.metrics.failedLogins.inc();
      const windowMs = this.deps.config.loginLockMinutes * 60_000;
      for (const lock of locks) await this.deps.rateLimits.hit(lock.key, windowMs);
      throw new DomainError('INVALID_CREDENTIALS', 'Wrong nickname or password');
    }
    const own = locks.find((lock) => lock.perAddress);
    if (own) await this.deps.rateLimits.reset(own.key);
    // Checked after the password, so a ban is told only to whoever knows it.
    throwIfBanned(credentials);
    const { token, tokenHash, expiresAt } = this.#newToken();
    const opened = await openSessionWithBonus(this.deps.database, {
      playerId: credentials.id,
      bonus: this.drawBonus(),
      cooldownSeconds: this.deps.config.loginBonusCooldownSeconds,
      tokenHash,
      expiresAt,
    });
    if (!opened) {
      // Banned or deleted while this login ran (the session statement checks under the row lock).
      const now = await findBan(this.deps.database.db, credentials.id);
      if (now && now.deletedAt === null) throwIfBanned(now);
      throw new DomainError('PLAYER_NOT_FOUND', `No pilot is called "${nickname}"`);
    }
    this.deps.metrics.logins.inc({ kind: 'login' });
    return this.#sessionResponse(token, expiresAt, opened.id, opened.bonus);
  }

  #loginLocks(key: string, address: string): { key: string; max: number; perAddress: boolean }[] {
    const { loginMaxFailures, loginNicknameMaxFailures } = this.deps.config;
    return [
      ...(loginMaxFailures > 0
        ? [{ key: `login-fail:${key}:${address}`, max: loginMaxFailures, perAddress: true }]
        : []),
      ...(loginNicknameMaxFailures > 0
        ? [{ key: `login-fail:${key}`, max: loginNicknameMaxFailures, perAddress: false }]
        : []),
    ];
  }

  async logout(player: AuthenticatedPlayer): Promise<void> {
    await revokeSession(this.deps.database.db, player.tokenHash);
    await this.sessionsEnded([player.tokenHash], 'logout');
  }

  /**
   * Tells every node that these sessions ended (already revoked or deleted in the database): each token's
   * cached lookup is orphaned and its sockets close (4003, with the reason for a ban or a deletion).
   */
  async sessionsEnded(
    tokenHashes: readonly string[],
    reason: 'logout' | 'banned' | 'deleted',
  ): Promise<void> {
    // Not a del() of the entry: a lookup on another node that read the session before the revocation may
    // fill the entry after any delete. Bumping the version orphans that fill too (see sessionCacheKey).
    for (const revisionKey of new Set(tokenHashes.map(sessionRevisionKey))) {
      try {
        await this.deps.cache.incr(revisionKey);
      } catch {
        // The cache is down: nothing is served from it until it is back, under a new generation.
      }
    }
    // Announced on the bus for the sockets on any node (the revision above is what makes every node
    // refuse the token over HTTP).
    for (const tokenHash of tokenHashes) {
      const payload = reason === 'logout' ? { tokenHash } : { tokenHash, reason };
      void this.deps.events.publish('session.revoked', payload).catch(() => undefined);
    }
  }

  /** Housekeeping: forgets sessions a day past their end. */
  deleteDeadSessions(): Promise<void> {
    return deleteDeadSessions(this.deps.database.db);
  }

  /** The player a bearer token belongs to, or null when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<AuthenticatedPlayer | null> {
    if (token.length < 20 || token.length > 200) return null;
    const tokenHash = hashToken(token);
    // The version is read before the entry and before the database, so a fill below lands under the
    // version that was current before its database read (see sessionCacheKey).
    const revision = (await this.deps.cache.get(sessionRevisionKey(tokenHash))) ?? '0';
    const cacheKey = sessionCacheKey(tokenHash, revision);
    const cached = await this.deps.cache.get(cacheKey);
    if (cached) {
      const { playerId, expiresAt } = JSON.parse(cached) as { playerId: string; expiresAt: number };
      this.deps.metrics.cacheLookup('session', true);
      if (expiresAt > Date.now()) return { id: playerId, tokenHash, expiresAt };
      return null;
    }
    this.deps.metrics.cacheLookup('session', false);
    const session = await findLiveSession(this.deps.database.db, tokenHash);
    if (!session) return null;
    const ttl = Math.min(
      SESSION_CACHE_SECONDS,
      Math.floor((session.expiresAt.getTime() - Date.now()) / 1000),
    );
    if (ttl > 0) {
      await this.deps.cache.set(
        cacheKey,
        JSON.stringify({ playerId: session.playerId, expiresAt: session.expiresAt.getTime() }),
        ttl,
      );
    }
    return { id: session.playerId, tokenHash, expiresAt: session.expiresAt.getTime() };
  }

  #newToken(): { token: string; tokenHash: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.deps.config.sessionTtlHours * 3_600_000);
    return { token, tokenHash: hashToken(token), expiresAt };
  }

  async #sessionResponse(
    token: string,
    expiresAt: Date,
    playerId: string,
    bonus: number,
  ): Promise<SessionResponse> {
    const player = await this.deps.players.privateProfile(playerId);
    return { token, expiresAt: expiresAt.toISOString(), player, loginBonus: bonus };
  }
}

/**
 * Cached session lookups are versioned by the revocation counter of the token's bucket (the first three
 * hex digits of its hash: at most 4096 counters, however many sessions end). A lookup reads the counter,
 * then the entry, and on a miss the database, and fills the entry under the counter it read first. Logout
 * revokes the session in the database, then bumps the counter: every lookup from then on, on any node,
 * reads a key no fill has used, so it goes to the database and sees the revocation; a concurrent fill
 * that read the session before the revocation lands under the old counter, which nobody reads again.
 * (Deleting the entry instead would lose that race: the fill may land after the delete and be served
 * for its whole TTL.) Costs: one more cache read per authenticated request, and a logout makes 1/4096 of
 * the cached sessions miss once.
 */
export function sessionCacheKey(tokenHash: string, revision: string): string {
  return `session:v2:${revision}:${tokenHash}`;
}

export function sessionRevisionKey(tokenHash: string): string {
  return `session-rev:${tokenHash.slice(0, 3)}`;
}

/** 403 PLAYER_BANNED while a ban is in force (a temporary one ends by itself at its `until`). */
function throwIfBanned(player: {
  bannedAt: Date | null;
  bannedUntil: Date | null;
  banReason: string | null;
}): void {
  if (player.bannedAt === null) return;
  if (player.bannedUntil !== null && player.bannedUntil.getTime() <= Date.now()) return;
  const until = player.bannedUntil?.toISOString() ?? null;
  throw new DomainError(
    'PLAYER_BANNED',
    until === null ? 'This pilot is banned' : `This pilot is banned until ${until}`,
    { reason: player.banReason ?? '', until },
  );
}

function lockedError(resetAt: number): DomainError {
  const seconds = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
  return new DomainError(
    'RATE_LIMITED',
    `Too many failed logins for this pilot; try again in ${seconds} s`,
    { retryAfterSeconds: seconds },
    { 'retry-after': String(seconds) },
  );
}
