/** Result rows shared by the scenarios, and the table the harness prints. */
import type { BenchPostgres } from './postgres';
import { round } from './stats';

export interface Side {
  label: string;
  /** Throughput (requests/s or cycles/s), when the row compares throughput. */
  rate?: number;
  unit?: string;
  p50?: number;
  p99?: number;
  rssMiB?: number | null;
}

export type Verdict = 'PASS' | 'MISS' | 'info';

export interface Row {
  scenario: string;
  name: string;
  project: Side;
  baseline?: Side;
  ratio?: number;
  /** Human form of the target, e.g. "≥ 0.7× baseline req/s". */
  target?: string;
  verdict: Verdict;
  note?: string;
}

export interface ScenarioResult {
  scenario: string;
  rows: Row[];
  notes: string[];
  skipped?: string;
}

export interface BenchOptions {
  smoke: boolean;
  durationS: number;
  warmupS: number;
  /** Alternating rounds per side (project, baseline, project, …); each side's median round counts. */
  rounds: number;
  /** Overrides every scenario's default connection count. */
  connections?: number;
  /** wrk threads for the throughput scenarios (shop, cycle). */
  wrkThreads: number;
  /** Postgres reachable (pgbench and the Postgres scenarios need it). */
  postgres: boolean;
  /** The Postgres the bench started (or BENCH_DATABASE_URL's), for CPU and statement figures. */
  pg?: BenchPostgres;
  /** Both commit settings (default and synchronous_commit = off on both sides), or the default only. */
  commits: ('on' | 'off')[];
  /** When set, the game server writes a V8 CPU profile per run into this directory. */
  profileDir?: string;
  /** Players of the large data set (1,000,000; smoke: tiny). */
  largePlayers: number;
  smallPlayers: number;
  /** Reload the large data set even if a complete one is there. */
  reload: boolean;
  /** Battles timed one at a time per event-latency row (battles scenario). */
  battles: number;
  /** Idle authenticated WebSockets the sockets scenario opens. */
  sockets: number;
  log: (line: string) => void;
}

export function atLeast(ratio: number, target: number): Verdict {
  return Number.isFinite(ratio) && ratio >= target ? 'PASS' : 'MISS';
}

export function atMost(ratio: number, target: number): Verdict {
  return Number.isFinite(ratio) && ratio <= target ? 'PASS' : 'MISS';
}

function fmt(value: number | undefined | null, digits = 1): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  return round(value, digits).toLocaleString('en-US');
}

function side(s: Side | undefined): string {
  if (!s) return '-';
  const parts: string[] = [s.label];
  if (s.rate !== undefined) parts.push(`${fmt(s.rate, 0)} ${s.unit ?? '/s'}`);
  if (s.p50 !== undefined) parts.push(`p50 ${fmt(s.p50, 2)} ms p99 ${fmt(s.p99, 2)} ms`);
  if (s.rssMiB !== undefined && s.rssMiB !== null) parts.push(`RSS ${fmt(s.rssMiB, 0)} MiB`);
  return parts.join(', ');
}

export function table(results: ScenarioResult[]): string {
  const header = ['scenario', 'measure', 'project', 'baseline', 'ratio', 'target', 'verdict'];
  const lines: string[][] = [header];
  for (const result of results) {
    if (result.skipped) {
      lines.push([result.scenario, '(skipped)', result.skipped, '', '', '', 'skip']);
      continue;
    }
    for (const row of result.rows) {
      lines.push([
        row.scenario,
        row.name,
        side(row.project),
        side(row.baseline),
        row.ratio === undefined ? '-' : `${fmt(row.ratio, 2)}×`,
        row.target ?? '-',
        row.verdict,
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const render = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    render(lines[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.slice(1).map(render),
  ].join('\n');
}
