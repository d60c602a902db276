// Loaded only by the Player, through a dynamic import, so OvenPlayer and hls.js become their own
// chunks and the dashboard's first load stays small.
import type { OvenPlayerOptions, OvenPlayerInstance } from 'ovenplayer';

type Create = (container: HTMLElement, options: OvenPlayerOptions) => OvenPlayerInstance;

let loading: Promise<Create> | null = null;

export function loadOvenPlayer(): Promise<Create> {
  loading ??= Promise.all([import('hls.js'), import('ovenplayer')])
    .then(([hls, op]) => {
      // OvenPlayer plays (LL-)HLS through a global `Hls` (hls.js) outside Safari; it does not bundle it.
      (window as unknown as { Hls: unknown }).Hls = hls.default;
      return (container: HTMLElement, options: OvenPlayerOptions) => op.default.create(container, options);
    })
    .catch((e: unknown) => {
      loading = null; // allow a retry after a failed chunk load
      throw e;
    });
  return loading;
}
