// A line chart over time, drawn by uPlot on a canvas. React owns the wrapper; uPlot owns what is
// inside it: it is created once per chart shape (lines, unit, height), fed new data with setData,
// resized with its container, and destroyed on unmount (StrictMode's mount-unmount-mount included).
import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { loadUPlot } from './loadUPlot';

export interface ChartLine {
  label: string;
  /** A CSS colour the canvas understands (no var()). */
  color: string;
  /** One value per x; null is a gap (the line breaks). */
  values: (number | null)[];
  dash?: number[];
  /** Shade the area under the line. */
  fill?: boolean;
}

export interface TimeSeriesChartProps {
  /** Shown above the chart; with `description`, the chart's accessible name. */
  title: string;
  /** Unix seconds, ascending. */
  x: number[];
  lines: ChartLine[];
  /** The y axis' label ("Mbps"). */
  unit: string;
  /** A value in the legend ("2.61 Mbps"). */
  format: (v: number) => string;
  /** What the picture shows, in words ("latest 2.6 Mbps, peak 3.1 Mbps"). */
  description: string;
  /** Whole-number ticks only (counts). */
  integer?: boolean;
  height?: number;
  /** Take the whole row of a chart grid. */
  wide?: boolean;
}

// The dashboard's palette (styles.css :root); a canvas cannot read CSS variables.
const AXIS = '#9aa3b2';
const GRID = '#2b303b';
const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

/** The last non-null value of a column. */
const lastOf = (col: readonly (number | null | undefined)[] | undefined): number | null => {
  for (let i = (col?.length ?? 0) - 1; i >= 0; i--) if (col![i] != null) return col![i]!;
  return null;
};

/** A legend value: the hovered point's, or with no cursor on the chart (idx null) the latest one. */
const legendValue = (format: (v: number) => string) => (u: uPlot, v: number | null, sidx: number, idx: number | null) => {
  const shown = idx == null ? lastOf(u.data[sidx] as (number | null)[] | undefined) : v;
  return shown == null ? '—' : format(shown);
};

const clock = (sec: number) => new Date(sec * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Top of the y axis: some headroom over the highest value, never below 1 (a flat zero line stays visible). */
export function yMax(max: number | null, integer: boolean): number {
  if (max === null || !Number.isFinite(max) || max <= 0) return 1;
  const top = max * 1.15;
  return integer ? Math.max(1, Math.ceil(top)) : top;
}

export interface ChartOptionsInput {
  lines: readonly Omit<ChartLine, 'values'>[];
  unit: string;
  format: (v: number) => string;
  integer: boolean;
  width: number;
  height: number;
}

/** uPlot's options for one chart (pure; the component only adds the target element). */
export function chartOptions({ lines, unit, format, integer, width, height }: ChartOptionsInput): uPlot.Options {
  const axis = { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } };
  return {
    width,
    height,
    // Live charts are refreshed every few seconds, which would undo a zoom: hover only.
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, yMax(max, integer)] } },
    // Wall-clock ticks (14:05:30), as the rest of the page writes times; uPlot's default puts a
    // date line under the ticks that collides with itself on a narrow chart.
    axes: [{ ...axis, space: 72, values: (_u: uPlot, splits: number[]) => splits.map(clock) }, { ...axis, label: unit, size: 56, ...(integer ? { incrs: INTEGER_STEPS } : {}) }],
    series: [
      { label: 'Time', value: legendValue(clock) },
      ...lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: 2,
        spanGaps: false,
        ...(l.dash ? { dash: l.dash } : {}),
        ...(l.fill ? { fill: `${l.color}26` } : {}),
        value: legendValue(format),
      })),
    ],
  };
}

const widthOf = (el: HTMLElement) => el.clientWidth || 600; // 0 before layout (and in jsdom)

export function TimeSeriesChart({ title, x, lines, unit, format, description, integer = false, height = 180, wide = false }: TimeSeriesChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const data = useMemo<uPlot.AlignedData>(() => [x, ...lines.map((l) => l.values)], [x, lines]);
  // Read by uPlot's callbacks and at creation, so a new format function or data does not rebuild the chart.
  const latest = useRef({ data, lines, format });
  latest.current = { data, lines, format };
  const shape = JSON.stringify([lines.map((l) => [l.label, l.color, l.dash ?? null, l.fill ?? false]), unit, integer, height]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let cancelled = false;
    let u: uPlot | null = null;
    let resize: ResizeObserver | undefined;
    loadUPlot().then(
      (UPlot) => {
        if (cancelled) return;
        const options = chartOptions({ lines: latest.current.lines, unit, integer, height, width: widthOf(el), format: (v) => latest.current.format(v) });
        // How many points uPlot last drew, for end-to-end checks of what is on the canvas.
        options.hooks = { draw: [(self) => el.setAttribute('data-drawn', String(self.data[0]?.length ?? 0))] };
        u = new UPlot(options, latest.current.data, el);
        plot.current = u;
        setState('ready');
        if (typeof ResizeObserver !== 'undefined') {
          resize = new ResizeObserver(() => {
            const w = widthOf(el);
            if (u && w !== u.width) u.setSize({ width: w, height });
          });
          resize.observe(el);
        }
      },
      () => !cancelled && setState('failed'),
    );
    return () => {
      cancelled = true;
      resize?.disconnect();
      u?.destroy();
      plot.current = null;
    };
    // `shape` stands for lines/unit/integer/height; data arrives through setData below.
  }, [shape]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className={wide ? 'chart chart-wide' : 'chart'} data-testid="time-series-chart" data-title={title} data-points={x.length} data-ready={state === 'ready'}>
      <figcaption className="chart-title">{title}</figcaption>
      <div ref={host} className="chart-plot" role="img" aria-label={`${title}: ${description}`} />
      {state === 'failed' && <p className="muted small">The chart could not be loaded. Reload the page to try again.</p>}
    </figure>
  );
}
