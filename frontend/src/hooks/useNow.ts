import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms` while `active` (a countdown's clock). */
export function useNow(active: boolean, ms = 250): number {
  const [clock, setClock] = useState(() => ({ now: Date.now(), active }));
  // Turning active: read the clock in this very render, so the first frame of a countdown is not
  // computed from the time the component was first shown (a badge that was LIVE for a while).
  if (clock.active !== active) setClock({ now: Date.now(), active });
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setClock({ now: Date.now(), active: true }), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return clock.now;
}
