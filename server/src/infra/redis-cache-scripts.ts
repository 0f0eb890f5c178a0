/**
 * The Lua scripts of RedisCache (redis-cache.ts): each command reads the cache's generation in the same
 * script, so a call is one round trip and a bump made by one node takes effect on every node at once.
 */
import { LuaScript } from './redis.js';

// KEYS[1] is the generation key; ARGV[1] the data-key prefix. A missing generation (first use, or the key
// was evicted) is created from Redis's clock, so a generation value is never reused.
const GENERATION = `
local function generation()
  local g = redis.call('GET', KEYS[1])
  if g then return g end
  local t = redis.call('TIME')
  g = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('SET', KEYS[1], g)
  return g
end
local function key(k) return ARGV[1] .. generation() .. ':' .. k end
`;

export const GET = new LuaScript(`${GENERATION} return redis.call('GET', key(ARGV[2]))`);
export const SET = new LuaScript(
  `${GENERATION} redis.call('SET', key(ARGV[2]), ARGV[3], 'PX', ARGV[4]) return 1`,
);
export const DEL = new LuaScript(
  `${GENERATION} for i = 2, #ARGV do redis.call('UNLINK', key(ARGV[i])) end return 1`,
);
export const INCR = new LuaScript(`${GENERATION}
local k = key(ARGV[2])
local n = redis.call('INCR', k)
redis.call('PEXPIRE', k, ARGV[3])
return n`);
// KEYS[2] records the run_id of the Redis that the current generation was made on; ARGV[1] is the
// run_id seen now, ARGV[2] '1' to bump regardless.
export const BUMP = new LuaScript(`
if ARGV[2] == '0' and redis.call('GET', KEYS[2]) == ARGV[1] then return 0 end
local t = redis.call('TIME')
local g = t[1] .. string.format('%06d', tonumber(t[2]))
if redis.call('GET', KEYS[1]) == g then g = g .. '1' end
redis.call('SET', KEYS[1], g)
redis.call('SET', KEYS[2], ARGV[1])
return 1`);
