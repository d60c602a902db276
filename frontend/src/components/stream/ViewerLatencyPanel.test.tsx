import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setSession, type StreamSession } from '../../api';
import { fakeJwt, installFakeFetch, json, USER } from '../../test/fakeFetch';
import { formatLatency, LIVE_REFRESH_MS, ViewerLatencyPanel } from './ViewerLatencyPanel';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const session = (id: string, startedAt: string, endedAt: string | null): StreamSession => ({
  id, protocol: 'rtmp', clientAddress: '203.0.113.1', startedAt, endedAt, endReason: endedAt ? 'publisher_left' : null, reconnectCount: 0, gaps: [], vod: null,
});
const latency = (sessionId: string, webrtc: [number | null, number | null, number, number], llhls: [number | null, number | null, number, number] = [null, null, 0, 0], windowMinutes: number | null = null) => ({
  sessionId, live: windowMinutes !== null, windowMinutes,
  protocols: {
    webrtc: { p50Ms: webrtc[0], p95Ms: webrtc[1], samples: webrtc[2], viewers: webrtc[3] },
    llhls: { p50Ms: llhls[0], p95Ms: llhls[1], samples: llhls[2], viewers: llhls[3] },
  },
});
const rowOf = (table: HTMLElement, name: string) => within(table).getByRole('row', { name: new RegExp(`^${name}`) });

describe('ViewerLatencyPanel', () => {
  it('the broadcast on air: p50/p95, viewers and samples per protocol over the last 5 minutes, refreshed', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    let p50 = 320;
    const { calls } = installFakeFetch({
      'GET /api/streams/s1/sessions/live1/latency': () => json(200, latency('live1', [p50, 900, 120, 12], [2400, 4100, 30, 3], 5)),
    });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<ViewerLatencyPanel streamId="s1" sessions={[session('live1', '2026-12-04T10:00:00Z', null)]} />);
    const table = await screen.findByRole('table', { name: 'Now (last 5 minutes)' });
    expect(rowOf(table, 'WebRTC')).toHaveTextContent('WebRTC320 ms900 ms12120');
    expect(rowOf(table, 'LL-HLS')).toHaveTextContent('LL-HLS2.4 s4.1 s330');
    expect(calls[0]!.url).toBe('/api/streams/s1/sessions/live1/latency?windowMinutes=5');
    // No past broadcast: no picker.
    expect(screen.queryByLabelText('Past broadcast')).toBeNull();
    p50 = 280;
    await act(async () => void (await vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS)));
    expect(rowOf(await screen.findByRole('table', { name: 'Now (last 5 minutes)' }), 'WebRTC')).toHaveTextContent('280 ms');
    expect(calls.length).toBeGreaterThanOrEqual(2);
  });

  it('past broadcasts: the latest by default, another one on choice, over the whole broadcast', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const { calls } = installFakeFetch({
      'GET /api/streams/s1/sessions/old2/latency': () => json(200, latency('old2', [150, 400, 60, 6])),
      'GET /api/streams/s1/sessions/old1/latency': () => json(200, latency('old1', [null, null, 0, 0], [3100, 5200, 40, 4])),
    });
    render(<ViewerLatencyPanel streamId="s1" sessions={[session('old2', '2026-12-03T20:00:00Z', '2026-12-03T21:00:00Z'), session('old1', '2026-12-02T20:00:00Z', '2026-12-02T20:30:00Z')]} />);
    const table = await screen.findByRole('table', { name: 'Whole broadcast' });
    expect(rowOf(table, 'WebRTC')).toHaveTextContent('150 ms400 ms660');
    expect(rowOf(table, 'LL-HLS')).toHaveTextContent('LL-HLS——00');
    expect(calls.map((c) => c.url)).toEqual(['/api/streams/s1/sessions/old2/latency']);
    await userEvent.selectOptions(screen.getByLabelText('Past broadcast'), 'old1');
    await vi.waitFor(() => expect(rowOf(screen.getByRole('table', { name: 'Whole broadcast' }), 'LL-HLS')).toHaveTextContent('3.1 s5.2 s440'));
    expect(calls.at(-1)!.url).toBe('/api/streams/s1/sessions/old1/latency');
  });

  it('says so when no player reported, and when the figures cannot be fetched', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'GET /api/streams/s1/sessions/live1/latency': () => json(200, latency('live1', [null, null, 0, 0], [null, null, 0, 0], 5)),
      'GET /api/streams/s1/sessions/old1/latency': () => json(503, { error: { code: 'service_unavailable', message: 'busy' } }),
    });
    render(<ViewerLatencyPanel streamId="s1" sessions={[session('live1', '2026-12-04T10:00:00Z', null), session('old1', '2026-12-02T20:00:00Z', '2026-12-02T20:30:00Z')]} />);
    expect(await screen.findByText('Now (last 5 minutes): no player has reported yet.')).toBeInTheDocument();
    expect(await screen.findByText('Viewer latency is unavailable right now.')).toBeInTheDocument();
  });

  it('renders nothing for a stream that never went live', () => {
    const { container } = render(<ViewerLatencyPanel streamId="s1" sessions={[]} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('formats latency in ms below a second, in seconds above', () => {
    expect(formatLatency(null)).toBe('—');
    expect(formatLatency(999)).toBe('999 ms');
    expect(formatLatency(1250)).toBe('1.3 s');
  });
});
