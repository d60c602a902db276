import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SessionHealth } from '../../api';
import { setSession } from '../../api';
import { apiError, fakeJwt, installFakeFetch, json, USER } from '../../test/fakeFetch';
import { plotWith, plots } from '../../test/fakeUPlot';
import { HEALTH_COLORS, HealthCharts, refreshEvery } from './HealthCharts';

vi.mock('../charts/loadUPlot', async () => {
  const { FakeUPlot } = await import('../../test/fakeUPlot');
  return { loadUPlot: () => Promise.resolve(FakeUPlot) };
});

afterEach(() => {
  plots.length = 0;
  vi.unstubAllGlobals();
});

const URL = 'GET /api/streams/st1/sessions/se1/health';
const T0 = Date.parse('2026-12-04T04:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const series = (over: Partial<SessionHealth> = {}): SessionHealth => ({
  intervalMs: 5000,
  peakViewers: 6,
  viewerMinutes: 12.5,
  samples: [
    { at: at(0), bitrateInBps: 2_500_000, fps: 30, viewers: { webrtc: 3, llhls: 1, total: 4 } },
    { at: at(5), bitrateInBps: 3_000_000, fps: 29.97, viewers: { webrtc: 4, llhls: 2, total: 6 } },
  ],
  ...over,
});

describe('HealthCharts', () => {
  it('shows peak viewers and viewer-minutes, and charts bitrate (Mbps), fps and viewers per protocol', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({ [URL]: () => json(200, series()) });
    render(<HealthCharts streamId="st1" sessionId="se1" live={false} />);
    expect(await screen.findByTestId('peak-viewers')).toHaveTextContent('6');
    expect(screen.getByTestId('viewer-minutes')).toHaveTextContent('12.5');
    await vi.waitFor(() => expect(plots).toHaveLength(3));
    const x = [T0 / 1000, T0 / 1000 + 5];
    expect(plotWith('Input bitrate').data).toEqual([x, [2.5, 3]]);
    expect(plotWith('Frame rate').data).toEqual([x, [30, 29.97]]);
    const viewers = plotWith('WebRTC');
    expect(viewers.opts.series.map((s) => [s.label, s.stroke])).toEqual([
      ['Time', undefined],
      ['WebRTC', HEALTH_COLORS.webrtc],
      ['LL-HLS', HEALTH_COLORS.llhls],
      ['Total', HEALTH_COLORS.total],
    ]);
    expect(viewers.data).toEqual([x, [3, 4], [1, 2], [4, 6]]);
    expect(screen.getByRole('img', { name: 'Input bitrate: latest 3.00 Mbps, peak 3.00 Mbps' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^Viewers: total latest 6 viewers, peak 6 viewers; WebRTC latest 4 viewers/ })).toBeInTheDocument();
  });

  it('says when there are no samples yet (live) or none were recorded (past), with no empty charts', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({ [URL]: () => json(200, series({ samples: [], peakViewers: 0, viewerMinutes: 0 })) });
    const { unmount } = render(<HealthCharts streamId="st1" sessionId="se1" live />);
    expect(await screen.findByTestId('health-charts-empty')).toHaveTextContent('No samples yet: the first one is taken within 5 s of going live');
    unmount();
    render(<HealthCharts streamId="st1" sessionId="se1" live={false} />);
    expect(await screen.findByTestId('health-charts-empty')).toHaveTextContent('No health samples were recorded for this broadcast.');
    expect(screen.queryByTestId('time-series-chart')).toBeNull();
    expect(screen.queryByTestId('peak-viewers')).toBeNull();
    expect(plots).toHaveLength(0);
  });

  it('shows a failed load as an alert with a retry that loads it again', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    let fail = true;
    installFakeFetch({ [URL]: () => (fail ? apiError(500, 'internal', 'Database unavailable') : json(200, series())) });
    render(<HealthCharts streamId="st1" sessionId="se1" live={false} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the health charts: Database unavailable');
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('peak-viewers')).toHaveTextContent('6');
  });

  it('a broadcast the API does not know says so', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({ [URL]: () => apiError(404, 'not_found', 'Session not found') });
    render(<HealthCharts streamId="st1" sessionId="se1" live={false} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('This broadcast has no health record.');
  });

  it('while live asks every sampling interval for the samples after its last one and appends them to the same charts; a failed refresh keeps them', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const first = series().samples[0]!;
    const second = { ...series().samples[1]!, at: at(1) };
    let newer: typeof first[] = [];
    let fail = false;
    const { calls } = installFakeFetch({
      [URL]: (call) => {
        if (fail) return apiError(503, 'unavailable', 'Backend restarting');
        const since = new globalThis.URL(call.url, 'http://x').searchParams.get('since');
        // The backend's totals are over the whole broadcast, whatever `since` is.
        const totals = { peakViewers: newer.length ? 6 : 4, viewerMinutes: newer.length ? 0.2 : 0.1 };
        return json(200, series({ intervalMs: 1000, ...totals, samples: since === null ? [first] : newer.filter((x) => x.at > since) }));
      },
    });
    render(<HealthCharts streamId="st1" sessionId="se1" live />);
    await vi.waitFor(() => expect(plots).toHaveLength(3));
    expect(plotWith('WebRTC').data[0]).toHaveLength(1);
    expect(screen.getByTestId('peak-viewers')).toHaveTextContent('4');
    newer = [second];
    await vi.waitFor(() => expect(plotWith('WebRTC').setDataCalls.at(-1)).toEqual([[T0 / 1000, T0 / 1000 + 1], [3, 4], [1, 2], [4, 6]]), { timeout: 3000 });
    expect(plots).toHaveLength(3); // the same charts, fed new data
    expect(screen.getByTestId('peak-viewers')).toHaveTextContent('6');
    // Only the first load asked for the whole series; every refresh named the last sample it had.
    const sinces = () => calls.map((c) => new globalThis.URL(c.url, 'http://x').searchParams.get('since'));
    await vi.waitFor(() => expect(sinces()).toContain(second.at), { timeout: 3000 });
    expect(sinces()[0]).toBeNull();
    expect(sinces().slice(1).every((x) => x === first.at || x === second.at)).toBe(true);
    expect(plotWith('WebRTC').setDataCalls.at(-1)![0]).toHaveLength(2); // nothing appended twice
    fail = true;
    expect(await screen.findByText(/Could not refresh the charts \(Backend restarting\); trying again\./, {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.getAllByTestId('time-series-chart')).toHaveLength(3);
    expect(plotWith('WebRTC').setDataCalls.at(-1)![0]).toHaveLength(2);
    fail = false;
    await vi.waitFor(() => expect(screen.queryByText(/Could not refresh the charts/)).toBeNull(), { timeout: 3000 });
  });

  it('refreshes at the sampling interval, between 1 s and a minute', () => {
    expect(refreshEvery(undefined)).toBe(5000);
    expect(refreshEvery(5000)).toBe(5000);
    expect(refreshEvery(200)).toBe(1000);
    expect(refreshEvery(600_000)).toBe(60_000);
  });
});
