// An open-loop load generator that keeps nothing per request on the JavaScript heap: each outcome is
// written into preallocated typed arrays. Why: holding an object and a promise per request (100,000+
// in a run) grew the generator's old generation all run long, and its major GCs (a pause, and V8's
// helper threads marking on the same 2 cores as the server) showed up as the server's tail latency
// (bench/README.md, "Viewer beacons").
import type { RawAnswer } from './raw-http.js';

/** The outcomes of one open-loop run: request i was sent at `at[i]` (performance.now()) and took `ms[i]`. */
export class Outcomes {
  readonly at: Float64Array;
  readonly ms: Float64Array;
  /** Refusals and failures by their text (status and the start of the body, or the error). */
  readonly errors = new Map<string, number>();
  failed = 0;

  constructor(readonly count: number) {
    this.at = new Float64Array(count);
    this.ms = new Float64Array(count);
  }

  /** Latencies in ascending order. */
  sorted(): Float64Array {
    return this.ms.slice().sort();
  }

  fail(error: string): void {
    this.failed++;
    this.errors.set(error, (this.errors.get(error) ?? 0) + 1);
  }
}

/** The nearest-rank percentile of ascending values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

/**
 * Sends `rate` requests a second for `seconds`, evenly: every 2 ms the requests that are due by now
 * go out (a late timer is caught up, never skipped), whatever the answers do. Resolves once every
 * answer is in, with the outcomes and how far behind its schedule the generator fell at worst.
 */
export function openLoop(
  rate: number,
  seconds: number,
  send: (n: number) => Promise<RawAnswer>,
  ok: (r: RawAnswer) => boolean,
): Promise<{ outcomes: Outcomes; behindMs: number }> {
  const total = Math.round(rate * seconds);
  const out = new Outcomes(total);
  return new Promise((resolve) => {
    let answered = 0;
    let sent = 0;
    let behindMs = 0;
    const start = performance.now();
    // Answers come asynchronously, so the last one is always after the last send.
    const settle = () => {
      if (++answered === total) resolve({ outcomes: out, behindMs });
    };
    const fire = (i: number) => {
      const t0 = performance.now();
      out.at[i] = t0;
      send(i).then(
        (r) => {
          out.ms[i] = performance.now() - t0;
          if (!ok(r)) out.fail(`${r.status} ${r.body.slice(0, 100)}`);
          settle();
        },
        (err: Error) => {
          out.ms[i] = performance.now() - t0;
          out.fail(err.message);
          settle();
        },
      );
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      if (due - sent > 1) behindMs = Math.max(behindMs, ((due - sent - 1) / rate) * 1000);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, 2);
    };
    if (total === 0) resolve({ outcomes: out, behindMs });
    else tick();
  });
}
