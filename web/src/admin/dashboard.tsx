/**
 * The dashboard (`/admin`): every node's figures over the last 5 minutes, asked again every 2–3 s
 * (the answer's intervalMs, kept within that range): players online, requests, money moves, battles
 * and errors per second, latency p50/p99, as small charts for all nodes together and for each node;
 * each node's Postgres and Redis as badges.
 */
import type { Dashboard, DashboardPoint, NodeSeries } from '@metagameplay/client';
import { useEffect, useState } from 'react';
import { Screen } from '../components/screen';
import { ErrorState, Loading } from '../components/states';
import { useGame } from '../game-context';
import { Chart, PALETTE } from './chart';
import { useConsole } from './console-context';
import { TableScroll } from './paged-table';
import { refusal } from './refusal';
import { when } from './when';

const METRICS = [
  'playersOnline',
  'requestsPerSecond',
  'moneyMovesPerSecond',
  'battlesPerSecond',
  'p50Ms',
  'p99Ms',
  'errorsPerSecond',
] as const;
type Metric = (typeof METRICS)[number];

/** Polls no faster than every 2 s and no slower than every 3 s, whatever the server suggests. */
export function pollDelay(intervalMs: number | undefined): number {
  const wanted = typeof intervalMs === 'number' && Number.isFinite(intervalMs) ? intervalMs : 2000;
  return Math.min(3000, Math.max(2000, wanted));
}

/** A point's time in seconds: the API's `t` as an ISO string, or epoch milliseconds. */
export function pointSeconds(t: string | number): number {
  if (typeof t === 'number') return t > 1e11 ? t / 1000 : t;
  return Date.parse(t) / 1000;
}

function clock(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(11, 19);
}

export function DashboardPage() {
  const { t, gate } = useGame();
  const { admin, c } = useConsole();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      const outcome = await gate.run(() => admin.dashboard());
      if (!live) return;
      if (outcome.ok) {
        setData(outcome.value);
        setError(null);
        setUpdatedAt(new Date().toISOString());
      } else if (!outcome.handled) {
        setError(outcome.error);
      }
      timer = setTimeout(() => void tick(), pollDelay(outcome.ok ? outcome.value.intervalMs : undefined));
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [attempt]);

  return (
    <Screen heading={c.dashboard.heading} wide>
      <p className="hint">{c.dashboard.intro}</p>
      {data === null ? (
        error !== null ? (
          <ErrorState error={error} onRetry={() => setAttempt((n) => n + 1)} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          <p className="console-status" aria-live="off">
            {updatedAt && c.dashboard.updated(`${updatedAt.slice(11, 19)} UTC`)}
          </p>
          {error !== null && (
            <p className="notice bad" role="alert">
              {c.dashboard.stale} {refusal(c, t, error)}
            </p>
          )}
          <NodesTable nodes={data.nodes} />
          <MetricGrid title={c.dashboard.total} points={data.total.series} />
          {data.nodes.map((node) => (
            <MetricGrid
              key={node.nodeId}
              title={`${c.dashboard.node(node.nodeId)}${node.self ? ` (${c.dashboard.thisNode})` : ''}`}
              points={node.series}
            />
          ))}
        </>
      )}
    </Screen>
  );
}

function Badge(props: { label: string; status: string }) {
  const { c } = useConsole();
  return (
    <span className={`badge status-badge status-${props.status}`}>
      {props.label}: {c.dashboard.status[props.status] ?? props.status}
    </span>
  );
}

function NodesTable(props: { nodes: readonly NodeSeries[] }) {
  const { c } = useConsole();
  const latest = (node: NodeSeries, metric: Metric): string => {
    const point = node.series.at(-1);
    return point === undefined ? '—' : String(Math.round(point[metric] * 100) / 100);
  };
  return (
    <section className="console-section" aria-labelledby="nodes-heading">
      <h2 id="nodes-heading">{c.dashboard.nodes}</h2>
      <TableScroll label={c.dashboard.nodes}>
        <table className="data-table" aria-label={c.dashboard.nodes}>
          <thead>
            <tr>
              <th scope="col">{c.dashboard.nodeColumn}</th>
              <th scope="col">{c.dashboard.postgres}</th>
              <th scope="col">{c.dashboard.redis}</th>
              {METRICS.map((metric) => (
                <th key={metric} scope="col">
                  {c.dashboard.metrics[metric]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.nodes.map((node) => (
              <tr key={node.nodeId}>
                <th scope="row">
                  {node.nodeId}
                  {node.self && <small> ({c.dashboard.thisNode})</small>}
                  <br />
                  <small>{c.dashboard.startedAt(when(node.startedAt))}</small>
                </th>
                <td>
                  <Badge label={c.dashboard.postgres} status={node.postgres} />
                </td>
                <td>
                  <Badge label={c.dashboard.redis} status={node.redis} />
                </td>
                {METRICS.map((metric) => (
                  <td key={metric}>{latest(node, metric)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function MetricGrid(props: { title: string; points: readonly DashboardPoint[] }) {
  const { c } = useConsole();
  const id = `metrics-${props.title.replace(/[^\p{L}\p{N}]+/gu, '-')}`;
  const times = props.points.map((point) => pointSeconds(point.t));
  return (
    <section className="console-section" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      <div className="chart-grid">
        {METRICS.map((metric, index) => (
          <Chart
            key={metric}
            title={`${c.dashboard.metrics[metric]} — ${props.title}`}
            times={times}
            series={[
              {
                label: c.dashboard.metrics[metric],
                values: props.points.map((point) => point[metric]),
                color: PALETTE[index % PALETTE.length] ?? '#5ee7ff',
              },
            ]}
            timeHeader={c.time}
            timeText={clock}
            height={140}
          />
        ))}
      </div>
    </section>
  );
}
