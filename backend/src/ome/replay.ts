// Freshness of a signed admission request (pure). OME stamps every request with `request.time`
// (captured form: 2026-11-22T00:41:56.474+00:00). A signature proves who wrote a body, not when it
// was sent: a body captured once (a log, a proxy, a packet capture) stays correctly signed forever.
// So an opening is judged only while its time lies within ±OME_ADMISSION_WINDOW_SECONDS of the
// server's clock (which also absorbs modest clock skew between OME and the backend), and a body
// that changes state is accepted once within that window (ReplayGuard remembers its signature).

/** ISO 8601 date-time with an explicit offset: Z, +00:00 (OME's form) or +0000; fraction optional. */
const OME_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch, or null when the text is not such a time. */
export function parseOmeTime(text: string): number | null {
  const m = OME_TIME.exec(text);
  if (!m) return null;
  const offset = m[8] === 'Z' ? 'Z' : `${m[8]!.slice(0, 3)}:${m[8]!.slice(-2)}`;
  const fraction = m[7] ? m[7].slice(0, 4).padEnd(4, '0') : '';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction}${offset}`);
  return Number.isFinite(ms) ? ms : null;
}

export type Freshness = { ok: true; sentAtMs: number } | { ok: false; reason: string };

export function checkFreshness(time: string | undefined, nowMs: number, windowMs: number): Freshness {
  if (time === undefined) return { ok: false, reason: 'request time missing' };
  const sentAtMs = parseOmeTime(time);
  if (sentAtMs === null) return { ok: false, reason: 'request time malformed' };
  if (Math.abs(nowMs - sentAtMs) > windowMs) return { ok: false, reason: 'request time outside the allowed window' };
  return { ok: true, sentAtMs };
}
