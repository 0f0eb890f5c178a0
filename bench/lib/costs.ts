/**
 * What one measured round cost, per money move: CPU of the database (the bench cluster's processes, read
 * from /proc), CPU of the server (its process), the statements Postgres ran (pg_stat_statements: calls
 * and mean execution time of each text), Redis commands and round trips (the bench Redis's counters).
 * Moves are counted by the ledger rows the round wrote, so a refused or unfinished request counts nothing.
 */
import { type BenchPostgres, resetStatements, type StatementCost, statementCosts } from './postgres';
import { type RedisCounters, redisCounters, redisPerMove } from './redis';
import { cpuSeconds } from './cpu';

export interface RoundCosts {
  /** Money moves (ledger rows) the round wrote. */
  moves: number;
  /** µs of CPU per move: the whole Postgres cluster, and the server process (null: not measured). */
  dbCpuUs: number | null;
  nodeCpuUs: number | null;
  /** Statements per move (each is one round trip to Postgres) and their execution time per move, µs. */
  statementsPerMove: number | null;
  statementUs: number | null;
  /** The costliest statement texts, with calls per move and mean µs. */
  statements: { query: string; callsPerMove: number; meanUs: number }[];
  redis: { commands: number; trips: number; byCommand: Record<string, number> } | null;
}

export interface CostContext {
  pg: BenchPostgres;
  /** The database the round writes to (statements of other databases are left out). */
  database: string;
  /** Ledger rows so far. */
  moves: () => Promise<number>;
}

export async function measureRound<T>(
  ctx: CostContext,
  serverPid: number | null,
  run: () => Promise<T>,
): Promise<{ out: T; costs: RoundCosts }> {
  if (ctx.pg.statements) await resetStatements(ctx.pg.adminUrl);
  const movesBefore = await ctx.moves();
  const redisBefore: RedisCounters | null = serverPid === null ? null : await redisCounters();
  const dbBefore = ctx.pg.pid === null ? null : cpuSeconds(ctx.pg.pid, true);
  const nodeBefore = serverPid === null ? null : cpuSeconds(serverPid);
  const out = await run();
  const dbAfter = ctx.pg.pid === null ? null : cpuSeconds(ctx.pg.pid, true);
  const nodeAfter = serverPid === null ? null : cpuSeconds(serverPid);
  const redisAfter = serverPid === null ? null : await redisCounters();
  const moves = (await ctx.moves()) - movesBefore;
  const statements: StatementCost[] = ctx.pg.statements
    ? (await statementCosts(ctx.pg.adminUrl, ctx.database)).filter((s) => !isBenchQuery(s.query))
    : [];
  const perMove = (seconds: number | null) =>
    seconds === null || moves <= 0 ? null : (seconds * 1e6) / moves;
  return {
    out,
    costs: {
      moves,
      dbCpuUs: perMove(dbBefore === null || dbAfter === null ? null : dbAfter - dbBefore),
      nodeCpuUs: perMove(nodeBefore === null || nodeAfter === null ? null : nodeAfter - nodeBefore),
      statementsPerMove:
        ctx.pg.statements && moves > 0 ? statements.reduce((n, s) => n + s.calls, 0) / moves : null,
      statementUs:
        ctx.pg.statements && moves > 0
          ? (statements.reduce((n, s) => n + s.totalMs, 0) * 1000) / moves
          : null,
      statements: statements.slice(0, 8).map((s) => ({
        query: s.query.length > 140 ? `${s.query.slice(0, 137)}...` : s.query,
        callsPerMove: moves > 0 ? s.calls / moves : 0,
        meanUs: s.meanUs,
      })),
      redis: redisPerMove(redisBefore, redisAfter, moves),
    },
  };
}

/** The harness's own reads between rounds (ledger max id, settling), not the measured work. */
function isBenchQuery(query: string): boolean {
  return /max\(id\)|pg_stat_statements|FROM battles|DELETE FROM inventory WHERE item_id/i.test(query);
}

/** One line, per `unit` of `movesPerUnit` moves (a cycle is 2 moves; a battle is counted as 1). */
export function costsText(costs: RoundCosts, unit = 'cycle', movesPerUnit = 2): string {
  const per = (v: number | null, digits = 0) => (v === null ? '-' : (v * movesPerUnit).toFixed(digits));
  const redis = costs.redis
    ? `; Redis ${per(costs.redis.commands, 2)} commands/${unit} in ${per(costs.redis.trips, 2)} round trips (` +
      Object.entries(costs.redis.byCommand)
        .filter(([, v]) => v * movesPerUnit >= 0.01)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${(v * movesPerUnit).toFixed(2)}`)
        .join(', ') +
      ')'
    : '';
  return (
    `DB CPU ${per(costs.dbCpuUs)} µs/${unit}, node CPU ${per(costs.nodeCpuUs)} µs/${unit}; ` +
    `${per(costs.statementsPerMove, 2)} statements/${unit} (round trips to Postgres), ` +
    `${per(costs.statementUs)} µs/${unit} executing them${redis}`
  );
}
