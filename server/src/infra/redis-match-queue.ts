/**
 * RedisMatchQueue: the quick-match queue shared by every node (contract in match-queue.ts). Keys, under
 * the prefix:
 * - `mm:entries`    hash: player id → "stake:rating:queuedAt"
 * - `mm:q:<stake>`  sorted set: player id by rating (ties by id), one per stake with someone waiting
 * - `mm:stakes`     sorted set: the stakes with someone waiting
 * join, leave and popPair are each one Lua script, so a player is in at most one queue and a pair is
 * handed to exactly one caller. popPair applies the same rule as bestPair() in match-queue.ts. (The script
 * names per-stake keys it builds itself: one Redis, not a cluster.)
 *
 * Unlike presence, the queue has no local fallback: with Redis down, joining fails (the route answers 503)
 * and nobody is matched until it is back.
 */
import { MATCH_GAP, type MatchQueue, type QueueEntry } from './match-queue.js';
import { LuaScript, type Redis } from './redis.js';

// Shared by the scripts: removes a player's entry (if any) and returns it.
const REMOVE = `
local function remove(entries, stakes, qprefix, player)
  local entry = redis.call('HGET', entries, player)
  if not entry then return false end
  local stake = string.match(entry, '^([^:]+)')
  local q = qprefix .. stake
  redis.call('ZREM', q, player)
  if redis.call('ZCARD', q) == 0 then redis.call('ZREM', stakes, stake) end
  redis.call('HDEL', entries, player)
  return entry
end`;

// KEYS: entries, stakes. ARGV: queue prefix, player, stake, rating, queuedAt.
const JOIN = new LuaScript(`${REMOVE}
remove(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3] .. ':' .. ARGV[4] .. ':' .. ARGV[5])
redis.call('ZADD', ARGV[1] .. ARGV[3], ARGV[4], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[3])
return 1`);

// KEYS: entries, stakes. ARGV: queue prefix, player.
const LEAVE = new LuaScript(`${REMOVE}
return remove(KEYS[1], KEYS[2], ARGV[1], ARGV[2])`);

// KEYS: entries, stakes. ARGV: queue prefix, now, gap base, gap per second, gap max.
const POP_PAIR = new LuaScript(`${REMOVE}
local now = tonumber(ARGV[2])
local function allowed(queued_at)
  local waited = math.max(0, now - queued_at)
  return math.min(tonumber(ARGV[5]), tonumber(ARGV[3]) + tonumber(ARGV[4]) * waited / 1000)
end
for _, stake in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local members = redis.call('ZRANGE', ARGV[1] .. stake, 0, -1, 'WITHSCORES')
  local best, best_gap = nil, nil
  local prev_id, prev_rating, prev_at = nil, nil, nil
  for i = 1, #members, 2 do
    local id, rating = members[i], tonumber(members[i + 1])
    local entry = redis.call('HGET', KEYS[1], id)
    local at = tonumber(string.match(entry, ':([^:]+)$'))
    if prev_id then
      local gap = rating - prev_rating
      if gap <= math.max(allowed(prev_at), allowed(at)) and (best_gap == nil or gap < best_gap) then
        best, best_gap = {prev_id, id}, gap
      end
    end
    prev_id, prev_rating, prev_at = id, rating, at
  end
  if best then
    local a = remove(KEYS[1], KEYS[2], ARGV[1], best[1])
    local b = remove(KEYS[1], KEYS[2], ARGV[1], best[2])
    return {best[1], a, best[2], b}
  end
end
return false`);

function parseEntry(playerId: string, text: string): QueueEntry {
  const [stake, rating, queuedAt] = text.split(':').map(Number);
  return { playerId, stake: stake ?? 0, rating: rating ?? 0, queuedAt: queuedAt ?? 0 };
}

export class RedisMatchQueue implements MatchQueue {
  readonly kind = 'redis' as const;
  readonly #client: Redis;
  readonly #entries: string;
  readonly #stakes: string;
  readonly #queuePrefix: string;

  constructor(client: Redis, options: { keyPrefix?: string } = {}) {
    this.#client = client;
    const p = `${options.keyPrefix ?? ''}mm:`;
    this.#entries = `${p}entries`;
    this.#stakes = `${p}stakes`;
    this.#queuePrefix = `${p}q:`;
  }

  async join(entry: QueueEntry): Promise<void> {
    await JOIN.run(
      this.#client,
      [this.#entries, this.#stakes],
      [this.#queuePrefix, entry.playerId, entry.stake, entry.rating, entry.queuedAt],
    );
  }

  async leave(playerId: string): Promise<QueueEntry | null> {
    const removed = await LEAVE.run(
      this.#client,
      [this.#entries, this.#stakes],
      [this.#queuePrefix, playerId],
    );
    return typeof removed === 'string' ? parseEntry(playerId, removed) : null;
  }

  async entry(playerId: string): Promise<QueueEntry | null> {
    const text = await this.#client.hget(this.#entries, playerId);
    return text === null ? null : parseEntry(playerId, text);
  }

  async popPair(now: number): Promise<[QueueEntry, QueueEntry] | null> {
    const popped = await POP_PAIR.run(
      this.#client,
      [this.#entries, this.#stakes],
      [this.#queuePrefix, now, MATCH_GAP.base, MATCH_GAP.perSecond, MATCH_GAP.max],
    );
    if (!Array.isArray(popped)) return null;
    const [a, aText, b, bText] = popped as string[];
    if (!a || !aText || !b || !bText) return null;
    return [parseEntry(a, aText), parseEntry(b, bText)];
  }

  async length(): Promise<number> {
    return this.#client.hlen(this.#entries);
  }
}
