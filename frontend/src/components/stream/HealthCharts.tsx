import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getSessionHealth, isApiError, type SessionHealth } from '../../api';
import { useApi, useInterval } from '../../hooks/useApi';
import { TimeSeriesChart, type ChartLine } from '../charts/TimeSeriesChart';
import { ErrorBanner, Loading, errorMessage } from '../Feedback';
import { appendHealth, describeColumn, formatFps, formatMbps, formatViewerMinutes, formatViewers, toHealthSeries } from './healthSeries';

// The dashboard's palette (styles.css): accent, ok, warn, text.
export const HEALTH_COLORS = { bitrate: '#4f8cff', fps: '#30a46c', webrtc: '#4f8cff', llhls: '#f5a524', total: '#e8eaef' } as const;

/** How often a live chart asks again: the sampler's interval, kept between 1 s and 1 min. */
export const refreshEvery = (intervalMs: number | undefined) => Math.min(Math.max(intervalMs ?? 5000, 1000), 60_000);

export interface HealthChartLines {
  bitrate: ChartLine[];
  fps: ChartLine[];
  viewers: ChartLine[];
}

/** The three charts' lines from the backend's series (pure). */
export function healthChartLines(series: ReturnType<typeof toHealthSeries>): HealthChartLines {
  return {
    bitrate: [{ label: 'Input bitrate', color: HEALTH_COLORS.bitrate, values: series.bitrateMbps, fill: true }],
    fps: [{ label: 'Frame rate', color: HEALTH_COLORS.fps, values: series.fps }],
    viewers: [
      { label: 'WebRTC', color: HEALTH_COLORS.webrtc, values: series.webrtc },
      { label: 'LL-HLS', color: HEALTH_COLORS.llhls, values: series.llhls },
      { label: 'Total', color: HEALTH_COLORS.total, values: series.total, dash: [6, 4] },
    ],
  };
}

function Charts({ data, live }: { data: SessionHealth; live: boolean }) {
  const series = useMemo(() => toHealthSeries(data.samples, data.intervalMs), [data]);
  const lines = useMemo(() => healthChartLines(series), [series]);
  if (data.samples.length === 0) {
    return (
      <p className="muted" data-testid="health-charts-empty">
        {live
          ? `No samples yet: the first one is taken within ${Math.ceil(data.intervalMs / 1000)} s of going live, when the media server reports the stream.`
          : 'No health samples were recorded for this broadcast.'}
      </p>
    );
  }
  return (
    <>
      <dl className="stats health-figures">
        <div>
          <dt>Peak viewers</dt>
          <dd data-testid="peak-viewers">{data.peakViewers}</dd>
        </div>
        <div>
          <dt>Viewer-minutes</dt>
          <dd data-testid="viewer-minutes">{formatViewerMinutes(data.viewerMinutes)}</dd>
        </div>
      </dl>
      <div className="chart-grid">
        <TimeSeriesChart title="Input bitrate" unit="Mbps" x={series.x} lines={lines.bitrate} format={formatMbps} description={describeColumn(series.bitrateMbps, formatMbps)} />
        <TimeSeriesChart title="Frame rate" unit="fps" x={series.x} lines={lines.fps} format={formatFps} description={describeColumn(series.fps, formatFps)} />
        <TimeSeriesChart
          title="Viewers"
          unit="viewers"
          integer
          wide
          x={series.x}
          lines={lines.viewers}
          format={String}
          description={`total ${describeColumn(series.total, formatViewers)}; WebRTC ${describeColumn(series.webrtc, formatViewers)}; LL-HLS ${describeColumn(series.llhls, formatViewers)}`}
        />
      </div>
    </>
  );
}

/**
 * One broadcast's health over time (input bitrate, fps, viewers per protocol) with its peak
 * viewers and viewer-minutes. While `live` it asks every sampling interval (5 s) for the samples
 * after its last one only, so a long broadcast's series is not fetched again and again.
 */
export function HealthCharts({ streamId, sessionId, live }: { streamId: string; sessionId: string; live: boolean }) {
  const health = useApi((signal) => getSessionHealth(streamId, sessionId, undefined, signal), [streamId, sessionId]);
  const [refreshError, setRefreshError] = useState<unknown>(undefined);
  const dataRef = useRef(health.data);
  dataRef.current = health.data;
  const pending = useRef<AbortController | null>(null);
  // A refresh under way belongs to the broadcast it was asked for (and to a mounted chart).
  useEffect(
    () => () => {
      pending.current?.abort();
      pending.current = null;
      setRefreshError(undefined);
    },
    [streamId, sessionId],
  );
  const { reload, setData } = health;
  const refresh = useCallback(() => {
    const have = dataRef.current;
    // Nothing loaded yet (the first load failed): ask for the whole series again.
    if (!have) return reload();
    if (pending.current) return;
    const controller = new AbortController();
    pending.current = controller;
    getSessionHealth(streamId, sessionId, have.samples.at(-1)?.at, controller.signal)
      .then((fresh) => {
        if (controller.signal.aborted) return;
        setData((prev) => (prev ? appendHealth(prev, fresh) : fresh));
        setRefreshError(undefined);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setRefreshError(e);
      })
      .finally(() => {
        if (pending.current === controller) pending.current = null;
      });
  }, [streamId, sessionId, reload, setData]);
  useInterval(refresh, refreshEvery(health.data?.intervalMs), live, false);
  const staleError = health.error ?? refreshError;
  let body;
  if (health.data) body = <Charts data={health.data} live={live} />;
  else if (health.error != null)
    body = (
      <ErrorBanner error={health.error} retry={health.reload}>
        {isApiError(health.error, 'not_found') ? 'This broadcast has no health record.' : `Could not load the health charts: ${errorMessage(health.error)}`}
      </ErrorBanner>
    );
  else body = <Loading label="Loading health charts…" />;
  return (
    <div className="health-charts" data-testid="health-charts" data-session={sessionId}>
      {body}
      {health.data && staleError != null && (
        <p className="muted small" role="status">
          Could not refresh the charts ({errorMessage(staleError)}){live ? '; trying again.' : '.'}
        </p>
      )}
    </div>
  );
}

/** The stream page's card: the broadcast on air, refreshed as the sampler writes. */
export function LiveHealthCharts({ streamId, sessionId }: { streamId: string; sessionId: string }) {
  return (
    <section className="card" aria-labelledby="health-over-time">
      <h2 id="health-over-time">Health over time</h2>
      <HealthCharts streamId={streamId} sessionId={sessionId} live />
    </section>
  );
}
