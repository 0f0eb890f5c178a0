/**
 * How busy the machine was during a measured run (this machine is shared): whole-machine CPU from
 * /proc/stat, and per process name from /proc/<pid>/stat (utime + stime), so a figure can be read next
 * to what else was running. Linux only; elsewhere the samples are empty and nothing is reported.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Sample {
  at: number;
  busy: number;
  total: number;
  /** CPU ticks per command name (postgres, node, wrk, pgbench, redis-server, …). */
  byName: Map<string, number>;
  /** CPU ticks of the watched pids. */
  byPid: Map<number, number>;
}

function sample(pids: number[]): Sample | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    const byName = new Map<string, number>();
    const byPid = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const name = stat.slice(stat.indexOf('(') + 1, close);
        const fields = stat.slice(close + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        byName.set(name, (byName.get(name) ?? 0) + ticks);
        if (pids.includes(Number(entry))) byPid.set(Number(entry), ticks);
      } catch {
        // the process ended meanwhile
      }
    }
    return { at: performance.now(), busy: total - idle, total, byName, byPid };
  } catch {
    return null;
  }
}

export interface CpuReport {
  /** Whole machine, % of all cores. */
  machineBusy: number;
  /** % of one core, per watched label and for the busiest other process names. */
  shares: Record<string, number>;
  text: string;
}

/** Starts watching; `stop()` returns the CPU used in between. `watch` labels pids (e.g. the server). */
export function watchCpu(watch: Record<string, number> = {}): { stop(): CpuReport | null } {
  const pids = Object.values(watch);
  const first = sample(pids);
  return {
    stop() {
      const last = sample(pids);
      if (!first || !last || last.total === first.total) return null;
      const machineBusy = (100 * (last.busy - first.busy)) / (last.total - first.total);
      const cores = (last.total - first.total) / ((last.at - first.at) / 10); // ticks are 1/100 s
      const toPct = (ticks: number) => (100 * ticks) / ((last.total - first.total) / cores);
      const shares: Record<string, number> = {};
      for (const [label, pid] of Object.entries(watch)) {
        shares[label] = toPct((last.byPid.get(pid) ?? 0) - (first.byPid.get(pid) ?? 0));
      }
      const deltas = [...last.byName].map(
        ([name, ticks]) => [name, ticks - (first.byName.get(name) ?? 0)] as const,
      );
      for (const [name, ticks] of deltas.sort((a, b) => b[1] - a[1]).slice(0, 6)) {
        if (ticks > 0) shares[name] = toPct(ticks);
      }
      const text =
        `machine ${machineBusy.toFixed(0)} % busy; % of one core: ` +
        Object.entries(shares)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ');
      return { machineBusy, shares, text };
    },
  };
}

const TICKS_PER_S = 100;

function ticksOf(pid: number, children: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return children ? own + Number(fields[13]) + Number(fields[14]) : own;
  } catch {
    return 0;
  }
}

/** The pids whose parent is `parent` (e.g. a postmaster's backends). */
export function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/**
 * CPU seconds used so far by a process; with `tree`, by the process, its live children and the children
 * it has reaped (a postmaster reaps every backend that exits).
 */
export function cpuSeconds(pid: number, tree = false): number {
  let ticks = ticksOf(pid, tree);
  if (tree) for (const child of childrenOf(pid)) ticks += ticksOf(child, false);
  return ticks / TICKS_PER_S;
}
