// A broadcast's health samples shaped for the charts (pure): one time axis in Unix seconds (what
// uPlot's time scale takes) and one column per line. A pause in sampling longer than two intervals
// (the encoder dropped and came back, or the sampler's leader restarted) becomes a row of nulls, so
// the lines break there instead of drawing a straight segment over time nobody measured.
import type { HealthSample, SessionHealth } from '../../api';

export type Column = (number | null)[];

export interface HealthSeries {
  /** Unix seconds, oldest first. */
  x: number[];
  bitrateMbps: Column;
  fps: Column;
  webrtc: Column;
  llhls: Column;
  total: Column;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function toHealthSeries(samples: readonly HealthSample[], intervalMs: number): HealthSeries {
  const out: HealthSeries = { x: [], bitrateMbps: [], fps: [], webrtc: [], llhls: [], total: [] };
  const gapMs = 2 * Math.max(intervalMs, 1);
  let prevMs: number | null = null;
  for (const s of samples) {
    const ms = Date.parse(s.at);
    if (Number.isNaN(ms)) continue;
    if (prevMs !== null && ms - prevMs > gapMs) {
      out.x.push((prevMs + intervalMs) / 1000);
      for (const col of [out.bitrateMbps, out.fps, out.webrtc, out.llhls, out.total]) col.push(null);
    }
    out.x.push(ms / 1000);
    out.bitrateMbps.push(round(s.bitrateInBps / 1_000_000, 3));
    out.fps.push(s.fps === null ? null : round(s.fps, 2));
    out.webrtc.push(s.viewers.webrtc);
    out.llhls.push(s.viewers.llhls);
    out.total.push(s.viewers.total);
    prevMs = ms;
  }
  return out;
}

/** The last measured value of a column (nulls are gaps), or null when it has none. */
export function latest(col: Column): number | null {
  for (let i = col.length - 1; i >= 0; i--) if (col[i] != null) return col[i]!;
  return null;
}

/** The highest measured value, or null when the column has none. */
export function peak(col: Column): number | null {
  let m: number | null = null;
  for (const v of col) if (v != null && (m === null || v > m)) m = v;
  return m;
}

/** "latest 2.6 Mbps, peak 3.1 Mbps": what a chart shows, in words, for screen readers. */
export function describeColumn(col: Column, format: (v: number) => string): string {
  const last = latest(col);
  if (last === null) return 'no measurements';
  return `latest ${format(last)}, peak ${format(peak(col)!)}`;
}

export const formatMbps = (v: number) => `${v >= 10 ? v.toFixed(1) : v.toFixed(2)} Mbps`;
export const formatFps = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)} fps`;
export const formatViewers = (v: number) => `${v} viewer${v === 1 ? '' : 's'}`;

/** Viewer-minutes as the backend sums them (one decimal), grouped for reading: "1,234.5". */
export function formatViewerMinutes(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/**
 * A live chart's data after a refresh that asked only for the samples since its last one: those
 * appended (any the chart already has are skipped), and the totals, which the backend sums over the
 * whole broadcast, taken from the refresh.
 */
export function appendHealth(prev: SessionHealth, fresh: SessionHealth): SessionHealth {
  const last = prev.samples.at(-1);
  const lastMs = last ? Date.parse(last.at) : -Infinity;
  const added = fresh.samples.filter((s) => Date.parse(s.at) > lastMs);
  return { ...fresh, samples: added.length ? [...prev.samples, ...added] : prev.samples };
}
