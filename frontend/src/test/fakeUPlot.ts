// uPlot draws on a canvas, which jsdom does not have; component tests swap the loader for this
// recorder and check what the chart was given (options, data, later setData calls, destroy).
// The real drawing is checked in Chromium by the e2e suite.
import type uPlot from 'uplot';

export interface FakePlot {
  opts: uPlot.Options;
  /** The data it was created with, then the last setData. */
  data: uPlot.AlignedData;
  target: HTMLElement;
  setDataCalls: uPlot.AlignedData[];
  sizes: { width: number; height: number }[];
  destroyed: boolean;
}

export const plots: FakePlot[] = [];

/** The plots not destroyed, in creation order. */
export const livePlots = () => plots.filter((p) => !p.destroyed);

/** The live plot whose first series after time is labelled `label`. */
export function plotWith(label: string): FakePlot {
  const found = livePlots().filter((p) => p.opts.series[1]?.label === label);
  if (found.length !== 1) throw new Error(`expected one live plot with a "${label}" line, found ${found.length}`);
  return found[0]!;
}

export class FakeUPlot {
  readonly rec: FakePlot;
  width: number;
  constructor(opts: uPlot.Options, data: uPlot.AlignedData, target: HTMLElement) {
    this.rec = { opts, data, target, setDataCalls: [], sizes: [], destroyed: false };
    this.width = opts.width;
    plots.push(this.rec);
    target.appendChild(document.createElement('canvas'));
  }
  get data() {
    return this.rec.data;
  }
  setData(data: uPlot.AlignedData) {
    this.rec.data = data;
    this.rec.setDataCalls.push(data);
  }
  setSize(size: { width: number; height: number }) {
    this.width = size.width;
    this.rec.sizes.push(size);
  }
  destroy() {
    this.rec.destroyed = true;
    this.rec.target.replaceChildren();
  }
}
