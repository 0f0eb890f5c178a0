/**
 * The HTTP load generator where throughput is judged: wrk (C, epoll, one event loop per thread), run as
 * its own process, bounded in time, against 127.0.0.1. autocannon runs in Node and tops out near the
 * figures the project's server reaches, so it hid the server's cost (issue 9); wrk's baseline figures
 * rise when it is given another thread, which is how RESULTS.md shows it is not the bottleneck.
 *
 * Each run's Lua script ends with a `done()` that prints one `WRK_JSON {...}` line (requests, errors,
 * non-2xx, latency percentiles in µs, and the script's own counters), parsed here.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load';

export const wrkPath = process.env.WRK ?? 'wrk';

export function hasWrk(): boolean {
  try {
    execFileSync(wrkPath, ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version prints its banner and exits 1; only a missing binary throws ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export interface WrkResult extends LoadResult {
  /** The script's own counters (e.g. cycles completed), summed over threads. */
  counters: Record<string, number>;
  /** Lines the script wrote as `WRK_FAIL …` (the first failed answers, to explain a MISS). */
  failures: string[];
}

export interface WrkOptions {
  url: string;
  connections: number;
  threads: number;
  durationS: number;
  /** Lua script body (request/response functions); the harness appends setup() and done(). */
  script?: string;
  /** Names of per-thread counters the script keeps in globals (summed over threads in done()). */
  counters?: string[];
}

/** setup() keeps each thread (for done()) and numbers them; done() prints the summary line. */
function harnessLua(counters: string[]): string {
  const sums = counters
    .map(
      (name) =>
        `  local ${name} = 0\n  for _, t in ipairs(threads) do ${name} = ${name} + (tonumber(t:get("${name}")) or 0) end`,
    )
    .join('\n');
  const fields = counters.map((name) => `,"${name}":%d`).join('');
  const args = counters.map((name) => `, ${name}`).join('');
  return `
threads = {}
local thread_count = 0
function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end
function done(summary, latency, requests)
${sums}
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d${fields}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)${args}))
end
`;
}

export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-wrk-'));
  try {
    const scriptFile = path.join(dir, 'script.lua');
    const counters = options.counters ?? [];
    await writeFile(scriptFile, `${options.script ?? ''}\n${harnessLua(counters)}`);
    const args = [
      '-t',
      String(options.threads),
      '-c',
      String(Math.max(options.connections, options.threads)),
      '-d',
      `${Math.max(1, Math.round(options.durationS))}s`,
      '--timeout',
      '10s',
      '-s',
      scriptFile,
      options.url,
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(wrkPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}:\n${out}`)),
      );
    });
    const line = /^WRK_JSON (.+)$/m.exec(output)?.[1];
    if (!line) throw new Error(`no summary from wrk:\n${output}`);
    const r = JSON.parse(line) as Record<string, number>;
    const num = (key: string) => r[key] ?? 0;
    const seconds = num('duration_us') / 1e6 || options.durationS;
    const non2xx = num('status');
    return {
      rps: num('requests') / seconds,
      okRps: (num('requests') - non2xx) / seconds,
      p50: num('p50') / 1000,
      p99: num('p99') / 1000,
      total: num('requests'),
      non2xx,
      errors: num('connect') + num('read') + num('write') + num('timeout'),
      statusCodes: {},
      durationS: seconds,
      counters: Object.fromEntries(counters.map((name) => [name, num(name)])),
      failures: [...output.matchAll(/^WRK_FAIL (.*)$/gm)].map((m) => m[1] ?? ''),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The buy + sell cycle as a wrk script. Each in-flight request has a player of its own: a thread takes
 * a free player for a buy; the answer (matched by the `x-request-id` the server echoes) queues that
 * player's sale; the sale's answer frees the player again. Threads use disjoint slices of the players.
 * Counts cycles (2xx sales) and failed moves; with `idempotent`, every move carries a fresh key.
 */
export function cycleLua(options: {
  tokensFile: string;
  itemId: number;
  idempotent: boolean;
  run: string;
  threads: number;
}): string {
  return `
local tokens_file = ${JSON.stringify(options.tokensFile)}
local item = ${options.itemId}
local idempotent = ${options.idempotent ? 'true' : 'false'}
local run = ${JSON.stringify(options.run)}
local thread_total = ${options.threads}
local tokens, free, sells, n = {}, {}, {}, 0
cycles, failed = 0, 0

function init(args)
  local me, all = tonumber(wrk.thread:get("id")), thread_total
  local i = 0
  for line in io.lines(tokens_file) do
    if i % all == me then table.insert(tokens, line) end
    i = i + 1
  end
  for p = 1, #tokens do free[p] = p end
  wrk.thread:set("cycles", 0)
  wrk.thread:set("failed", 0)
end

local function move(path, p, step)
  n = n + 1
  local headers = {
    ["authorization"] = "Bearer " .. tokens[p],
    ["x-request-id"] = step .. "-" .. p .. "-" .. n,
  }
  if idempotent then headers["idempotency-key"] = run .. "-" .. wrk.thread:get("id") .. "-" .. n end
  return wrk.format("POST", path, headers, nil)
end

function request()
  local p = table.remove(sells)
  if p then return move("/api/v1/me/items/" .. item .. "/sell", p, "s") end
  p = table.remove(free)
  -- More connections than players: reuse one (its moves then fail with 409, counted as failures).
  if not p then p = (n % #tokens) + 1 end
  return move("/api/v1/shop/items/" .. item .. "/buy", p, "b")
end

function response(status, headers, body)
  local id = headers["x-request-id"] or headers["X-Request-Id"] or ""
  local step, p = string.match(id, "^(%a)%-(%d+)%-")
  p = tonumber(p)
  if not p then failed = failed + 1 wrk.thread:set("failed", failed) return end
  if step == "b" then
    if status == 200 then table.insert(sells, p) else failed = failed + 1 table.insert(free, p) end
  else
    if status == 200 then cycles = cycles + 1 else failed = failed + 1 end
    table.insert(free, p)
  end
  wrk.thread:set("cycles", cycles)
  wrk.thread:set("failed", failed)
end
`;
}

/**
 * The battle cycle (challenge + accept) as a wrk script. Each line of `pairsFile` is one pair of players,
 * `challengerToken opponentToken opponentId`; each in-flight cycle has a pair of its own: a thread takes a
 * free pair for a challenge; the 201 (matched by the echoed `x-request-id`) carries the battle id, which
 * queues the opponent's accept; a 200 to the accept frees the pair. A failed move retires its pair for
 * the rest of the run (a failed accept leaves a challenge pending, which would refuse every later challenge
 * of the pair), so each failure is counted once and its first answers are printed (`WRK_FAIL`). Both moves
 * send a random client seed, as packages/client does. Counts battles (2xx accepts) and failed moves; with
 * `idempotent`, every move carries a fresh Idempotency-Key. Threads use disjoint slices of the pairs.
 */
export function battleLua(options: {
  pairsFile: string;
  stake: number;
  idempotent: boolean;
  run: string;
  threads: number;
}): string {
  return `
local pairs_file = ${JSON.stringify(options.pairsFile)}
local stake = ${options.stake}
local idempotent = ${options.idempotent ? 'true' : 'false'}
local run = ${JSON.stringify(options.run)}
local thread_total = ${options.threads}
local duo, free, accepts, n = {}, {}, {}, 0
battles, failed = 0, 0

function init(args)
  local me = tonumber(wrk.thread:get("id"))
  local i = 0
  for line in io.lines(pairs_file) do
    if i % thread_total == me then
      local a, b, opp = string.match(line, "^(%S+) (%S+) (%S+)$")
      table.insert(duo, { a = a, b = b, opp = opp })
    end
    i = i + 1
  end
  for p = 1, #duo do free[p] = p end
  math.randomseed(os.time() + me)
  wrk.thread:set("battles", 0)
  wrk.thread:set("failed", 0)
end

local function client_seed()
  return string.format("%08x%08x%08x%08x", math.random(0, 2147483646), math.random(0, 2147483646),
    math.random(0, 2147483646), math.random(0, 2147483646))
end

local function move(path, token, step, p, body)
  n = n + 1
  local headers = {
    ["authorization"] = "Bearer " .. token,
    ["content-type"] = "application/json",
    ["x-request-id"] = step .. "-" .. p .. "-" .. n,
  }
  if idempotent then headers["idempotency-key"] = run .. "-" .. wrk.thread:get("id") .. "-" .. n end
  return wrk.format("POST", path, headers, body)
end

function request()
  local acc = table.remove(accepts)
  if acc then
    return move("/api/v1/battles/" .. acc.id .. "/accept", duo[acc.p].b, "a", acc.p,
      '{"clientSeed":"' .. client_seed() .. '"}')
  end
  local p = table.remove(free)
  -- No free pair (more connections than pairs, or pairs retired): reuse one; its challenge then fails with
  -- 409, counted as a failure.
  if not p then p = (n % #duo) + 1 end
  return move("/api/v1/battles", duo[p].a, "c", p,
    '{"opponentId":"' .. duo[p].opp .. '","stake":' .. stake .. ',"clientSeed":"' .. client_seed() .. '"}')
end

local shown = 0
function response(status, headers, body)
  local id = headers["x-request-id"] or headers["X-Request-Id"] or ""
  local step, p = string.match(id, "^(%a)%-(%d+)%-")
  p = tonumber(p)
  if (status ~= 200 and status ~= 201) and shown < 5 then
    shown = shown + 1
    io.write("WRK_FAIL " .. id .. " " .. status .. " " .. string.gsub(string.sub(body or "", 1, 300), "\\n", " ") .. "\\n")
  end
  if not p then failed = failed + 1 wrk.thread:set("failed", failed) return end
  if step == "c" then
    local battle = status == 201 and string.match(body, '"id":"([%x%-]+)"')
    if battle then table.insert(accepts, { p = p, id = battle })
    else failed = failed + 1 end
  else
    if status == 200 then battles = battles + 1 table.insert(free, p) else failed = failed + 1 end
  end
  wrk.thread:set("battles", battles)
  wrk.thread:set("failed", failed)
end
`;
}
