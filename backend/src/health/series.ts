// A broadcast's health series and what it adds up to (pure): peak concurrent viewers and total
// viewer-minutes. Each sample stands for the time until the next one, at most two intervals (a
// gap in sampling, e.g. the sampler's leader restarting, is not counted as viewing).
export interface Sample {
  at: Date;
  bitrateInBps: number;
  fps: number | null;
  viewersWebrtc: number;
  viewersLlhls: number;
}

export function summarize(samples: readonly Sample[], intervalMs: number): { peakViewers: number; viewerMinutes: number } {
  let peak = 0;
  let viewerMs = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const viewers = s.viewersWebrtc + s.viewersLlhls;
    peak = Math.max(peak, viewers);
    const next = samples[i + 1];
    const span = next ? Math.min(next.at.getTime() - s.at.getTime(), 2 * intervalMs) : intervalMs;
    viewerMs += viewers * Math.max(0, span);
  }
  return { peakViewers: peak, viewerMinutes: Math.round((viewerMs / 60_000) * 10) / 10 };
}
