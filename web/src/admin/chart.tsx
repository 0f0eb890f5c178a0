/**
 * A time-series chart of the console, drawn by uPlot, with the same data as a table for whoever does
 * not see the canvas (a <details> under it) and an aria-label naming it.
 *
 * Why uPlot (1.6.32): about 50 KB minified, canvas rendering, fast with thousands of points (the
 * dashboard redraws dozens of series every 2 s), and it styles through element.style only, which the
 * page's Content-Security-Policy (`style-src 'self'`, no inline <style>) allows. It is imported
 * here, inside the console's lazily loaded chunk, and itself loaded on the first chart, so no player
 * ever downloads it.
 */
import 'uplot/dist/uPlot.min.css';
import type uPlot from 'uplot';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useConsole } from './console-context';
import { TableScroll } from './paged-table';

export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
  color: string;
  /** Bars (per-day amounts) or a line (the default). */
  bars?: boolean;
}

export interface ChartProps {
  title: string;
  /** X values in seconds since the epoch, ascending. */
  times: readonly number[];
  series: readonly ChartSeries[];
  /** The table's first column header and how a time reads there. */
  timeHeader: string;
  timeText: (seconds: number) => string;
  /** How a value reads in the table and on the y axis. */
  valueText?: (value: number) => string;
  /** Columns only the table shows (a breakdown behind a series). */
  extraColumns?: ReadonlyArray<{ label: string; values: readonly ReactNode[] }>;
  height?: number;
  /** Days on the x axis (UTC dates) rather than clock times. */
  days?: boolean;
}

export const PALETTE = ['#5ee7ff', '#c77dff', '#ffd166', '#6ef2a4', '#ff7a8a', '#8fa8ff'];

let uplotModule: Promise<typeof uPlot> | null = null;

function loadUplot(): Promise<typeof uPlot> {
  uplotModule ??= import('uplot').then((module) => module.default);
  return uplotModule;
}

/** Whether this browser can draw on a canvas (happy-dom in unit tests cannot: the table remains). */
function canDraw(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

function plain(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function Chart(props: ChartProps) {
  const { c } = useConsole();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const captionId = useId();
  const valueText = props.valueText ?? plain;
  const data = [props.times, ...props.series.map((s) => s.values)] as unknown as uPlot.AlignedData;
  const dataRef = useRef(data);
  dataRef.current = data;
  // The chart is built again only when its series change (labels, kinds); new points are just set.
  const shape = `${props.series.map((s) => `${s.label}:${s.bars ? 'b' : 'l'}`).join('|')}:${props.days ? 'd' : 't'}`;

  useEffect(() => {
    const element = box.current;
    if (element === null || !canDraw()) return;
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    void loadUplot().then((UPlot) => {
      if (cancelled) return;
      const height = props.height ?? 180;
      const axis = {
        stroke: '#a9b2d6',
        grid: { stroke: 'rgba(130, 160, 255, 0.14)', width: 1 },
        ticks: { stroke: 'rgba(130, 160, 255, 0.28)', width: 1 },
      };
      const options: uPlot.Options = {
        width: Math.max(240, element.clientWidth),
        height,
        ...(props.days ? { tzDate: (ts: number) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') } : {}),
        scales: { x: { time: true } },
        cursor: { drag: { x: false, y: false } },
        legend: { show: true },
        axes: [
          axis,
          {
            ...axis,
            values: (_u, ticks) => ticks.map((tick) => valueText(tick)),
            // Wide enough for the longest tick label ("11450.00"), which uPlot would otherwise clip.
            size: (_u, values) =>
              24 + 7 * Math.max(4, ...(values ?? []).map((value) => String(value).length)),
          },
        ],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            value: (_u: uPlot, value: number | null) => (value === null ? '—' : valueText(value)),
            ...(s.bars
              ? {
                  fill: `${s.color}99`,
                  paths: UPlot.paths.bars?.({ size: [0.6, 40] }),
                  points: { show: false },
                }
              : {}),
          })),
        ],
      };
      try {
        plot.current = new UPlot(options, dataRef.current, element);
      } catch {
        plot.current = null;
        return;
      }
      if (typeof ResizeObserver === 'function') {
        observer = new ResizeObserver(() => {
          plot.current?.setSize({ width: Math.max(240, element.clientWidth), height });
        });
        observer.observe(element);
      }
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return (
    <figure className="chart">
      <figcaption id={captionId} className="chart-title">
        {props.title}
      </figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={c.chartOf(props.title)} />
      <details className="chart-table">
        <summary>{c.showTable}</summary>
        <TableScroll label={c.tableOf(props.title)}>
          <table className="data-table" aria-label={c.tableOf(props.title)}>
            <thead>
              <tr>
                <th scope="col">{props.timeHeader}</th>
                {props.series.map((s) => (
                  <th key={s.label} scope="col">
                    {s.label}
                  </th>
                ))}
                {props.extraColumns?.map((column) => (
                  <th key={column.label} scope="col">
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.times.map((time, row) => (
                <tr key={time}>
                  <th scope="row">{props.timeText(time)}</th>
                  {props.series.map((s) => {
                    const value = s.values[row];
                    return (
                      <td key={s.label}>{value === null || value === undefined ? '—' : valueText(value)}</td>
                    );
                  })}
                  {props.extraColumns?.map((column) => (
                    <td key={column.label}>{column.values[row]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </figure>
  );
}
