import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { setSession } from '../../api';
import { StatsPanel } from './StatsPanel';
import { apiError, fakeJwt, installFakeFetch, json, USER } from '../../test/fakeFetch';

afterEach(() => vi.unstubAllGlobals());

const stats = (over: Record<string, unknown>) => ({
  streamId: 's1',
  live: true,
  viewers: { total: 5, webrtc: 4, llhls: 1 },
  input: { bitrateBps: 4_500_000, fps: 59.94, width: 1920, height: 1080, videoCodec: 'H264', audioCodec: 'AAC' },
  updatedAt: '2026-11-22T01:00:00Z',
  ...over,
});

describe('StatsPanel', () => {
  it('shows bitrate, fps, resolution and viewers', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({ 'GET /api/streams/s1/stats': () => json(200, stats({})) });
    render(<StatsPanel streamId="s1" />);
    const dl = await screen.findByTestId('stats');
    expect(dl).toHaveTextContent('4.5 Mbps');
    expect(dl).toHaveTextContent('60');
    expect(dl).toHaveTextContent('1920×1080');
    expect(dl).toHaveTextContent('5 (WebRTC 4, LL-HLS 1)');
  });

  it('copes with fields OME left out', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'GET /api/streams/s1/stats': () =>
        json(200, stats({ input: { bitrateBps: 128_000, fps: null, width: null, height: null, videoCodec: null, audioCodec: 'AAC' } })),
    });
    render(<StatsPanel streamId="s1" />);
    const dl = await screen.findByTestId('stats');
    expect(dl).toHaveTextContent('128 kbps');
    expect(dl).toHaveTextContent('FPS—');
    expect(dl).toHaveTextContent('Resolution—');
    expect(dl).toHaveTextContent('CodecsAAC');
  });

  it('says when OME does not report the stream yet, and when stats cannot be fetched', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({ 'GET /api/streams/s1/stats': () => json(200, stats({ live: false, input: null })) });
    const { unmount } = render(<StatsPanel streamId="s1" />);
    expect(await screen.findByText('The media server does not report this stream yet.')).toBeInTheDocument();
    unmount();
    installFakeFetch({ 'GET /api/streams/s1/stats': () => apiError(502, 'ome_unreachable', 'OME API is unreachable') });
    render(<StatsPanel streamId="s1" />);
    expect(await screen.findByText('Stats unavailable right now.')).toBeInTheDocument();
  });
});
