import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import type uPlot from 'uplot';
import { plots, livePlots } from '../../test/fakeUPlot';
import { chartOptions, TimeSeriesChart, yMax, type ChartLine } from './TimeSeriesChart';

vi.mock('./loadUPlot', async () => {
  const { FakeUPlot } = await import('../../test/fakeUPlot');
  return { loadUPlot: () => Promise.resolve(FakeUPlot) };
});

afterEach(() => {
  plots.length = 0;
});

const lines = (a: (number | null)[], b: (number | null)[]): ChartLine[] => [
  { label: 'WebRTC', color: '#4f8cff', values: a },
  { label: 'LL-HLS', color: '#f5a524', values: b, dash: [6, 4] },
];
const chart = (x: number[], l: ChartLine[]) => (
  <TimeSeriesChart title="Viewers" unit="viewers" integer x={x} lines={l} format={String} description="latest 3, peak 4" />
);

describe('TimeSeriesChart', () => {
  it('creates one uPlot in its wrapper with the time axis and one column per line, and names the picture', async () => {
    render(chart([100, 105], lines([3, 4], [1, null])));
    const figure = screen.getByTestId('time-series-chart');
    await vi.waitFor(() => expect(figure).toHaveAttribute('data-ready', 'true'));
    expect(plots).toHaveLength(1);
    const p = plots[0]!;
    expect(p.data).toEqual([[100, 105], [3, 4], [1, null]]);
    expect(p.opts.series.map((s) => s.label)).toEqual(['Time', 'WebRTC', 'LL-HLS']);
    expect(p.opts.series.map((s) => s.stroke)).toEqual([undefined, '#4f8cff', '#f5a524']);
    expect(p.opts.series[2]!.dash).toEqual([6, 4]);
    expect(p.opts.axes![1]!.label).toBe('viewers');
    expect(screen.getByRole('img', { name: 'Viewers: latest 3, peak 4' }).contains(p.target)).toBe(true);
    expect(figure).toHaveAttribute('data-points', '2');
  });

  it('feeds new data with setData (no new chart), and destroys the chart on unmount', async () => {
    const { rerender, unmount } = render(chart([100], lines([3], [1])));
    await vi.waitFor(() => expect(plots).toHaveLength(1));
    rerender(chart([100, 105, 110], lines([3, 4, 6], [1, 1, 0])));
    expect(plots).toHaveLength(1);
    expect(plots[0]!.setDataCalls).toEqual([[[100, 105, 110], [3, 4, 6], [1, 1, 0]]]);
    unmount();
    expect(plots[0]!.destroyed).toBe(true);
    expect(livePlots()).toHaveLength(0);
  });

  it('builds a new chart when its lines change, and leaves exactly one under StrictMode', async () => {
    const { rerender } = render(<StrictMode>{chart([100], lines([3], [1]))}</StrictMode>);
    await vi.waitFor(() => expect(livePlots()).toHaveLength(1));
    rerender(<StrictMode>{chart([100], [{ label: 'Total', color: '#fff', values: [4] }])}</StrictMode>);
    await vi.waitFor(() => expect(livePlots().map((p) => p.opts.series[1]!.label)).toEqual(['Total']));
    expect(livePlots()[0]!.data).toEqual([[100], [4]]);
  });
});

describe('chartOptions', () => {
  const opts = (integer: boolean) =>
    chartOptions({ lines: [{ label: 'Input bitrate', color: '#4f8cff', fill: true }], unit: 'Mbps', format: (v) => `${v} Mbps`, integer, width: 500, height: 180 });
  const range = (o: uPlot.Options, max: number | null) => (o.scales!.y!.range as (u: uPlot, min: number, max: number) => [number, number])({} as uPlot, 0, max as number);

  it('starts the y axis at 0 with headroom, formats legend values, shades a filled line, and does not zoom on drag', () => {
    const o = opts(false);
    expect(range(o, 2)).toEqual([0, 2.3]);
    expect(range(o, null)).toEqual([0, 1]); // nothing yet: a visible empty axis
    const value = o.series[1]!.value as (u: uPlot, v: number | null, sidx: number, idx: number | null) => string;
    const u = { data: [[100, 105, 110], [2.5, 3, null]] } as unknown as uPlot;
    expect(value(u, 2.5, 1, 0)).toBe('2.5 Mbps'); // the hovered point
    expect(value(u, null, 1, 2)).toBe('—'); // a gap at the hovered time
    expect(value(u, null, 1, null)).toBe('3 Mbps'); // no cursor: the latest measurement
    expect(value({ data: [[], []] } as unknown as uPlot, null, 1, null)).toBe('—');
    expect(o.series[1]!.fill).toBe('#4f8cff26');
    expect(o.series[1]!.spanGaps).toBe(false);
    expect(o.cursor!.drag).toEqual({ x: false, y: false });
    expect(o.scales!.x!.time).toBe(true);
  });

  it('counts have whole-number ticks and a whole-number top', () => {
    const o = opts(true);
    expect(o.axes![1]!.incrs).toContain(1);
    expect((o.axes![1]!.incrs as number[]).every(Number.isInteger)).toBe(true);
    expect(range(o, 3)).toEqual([0, 4]);
    expect(yMax(0, true)).toBe(1);
  });
});
