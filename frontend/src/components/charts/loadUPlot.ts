// uPlot (and its stylesheet) is loaded with a dynamic import by the first chart on screen, so it
// lands in its own chunk and pages without charts do not download it.
import type uPlot from 'uplot';

export type UPlotClass = typeof uPlot;

let loading: Promise<UPlotClass> | null = null;

export function loadUPlot(): Promise<UPlotClass> {
  loading ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')])
    .then(([m]) => m.default)
    .catch((e: unknown) => {
      loading = null; // allow a retry after a failed chunk load
      throw e;
    });
  return loading;
}
