import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachBeacons, hlsMeasure, playlistToken, renditionName, webrtcMeasure, type BeaconPlayer } from './beacons';

/** A stand-in for an OvenPlayer instance: events the test fires, state/provider it sets. */
interface FakePlayer extends BeaconPlayer {
  state: string;
  provider: string | null;
  position: number;
  mse: unknown;
  emit(e: string, d: unknown): void;
}
function fakePlayer(over: Partial<BeaconPlayer> = {}): FakePlayer {
  const handlers = new Map<string, ((d: unknown) => void)[]>();
  const p: FakePlayer = {
    state: 'playing',
    provider: 'hls',
    position: 0,
    mse: null,
    on(e: string, cb: (d: unknown) => void) {
      handlers.set(e, [...(handlers.get(e) ?? []), cb]);
    },
    emit(e: string, d: unknown) {
      for (const cb of handlers.get(e) ?? []) cb(d);
    },
    getState: (): string => p.state,
    getProviderName: (): string | null => p.provider,
    getPosition: (): number => p.position,
    getMseInstance: (): unknown => p.mse,
    ...over,
  };
  return p;
}

describe('measurements', () => {
  it('hls.js: latency in ms and the playing level (its name, else its height)', () => {
    expect(hlsMeasure({ latency: 2.345, currentLevel: 1, levels: [{ height: 1080 }, { height: 720 }] })).toEqual({ latencyMs: 2345, rendition: '720p' });
    expect(hlsMeasure({ latency: 3, currentLevel: 0, levels: [{ name: '1080p', height: 1080 }] })).toEqual({ latencyMs: 3000, rendition: '1080p' });
    expect(hlsMeasure({ latency: 1.5, currentLevel: -1, levels: [] })).toEqual({ latencyMs: 1500 });
    // Before the first playlist hls.js says 0; nothing to report.
    expect(hlsMeasure({ latency: 0 })).toBeNull();
    expect(hlsMeasure({ latency: Number.NaN })).toBeNull();
    expect(hlsMeasure(null)).toBeNull();
    expect(hlsMeasure({ latency: 9999 })!.latencyMs).toBe(120_000);
  });

  const stats = (delay: number, emitted: number, rtt = 0.04) => [
    { type: 'inbound-rtp', kind: 'audio', jitterBufferDelay: 50, jitterBufferEmittedCount: 100 },
    { type: 'inbound-rtp', kind: 'video', jitterBufferDelay: delay, jitterBufferEmittedCount: emitted, frameHeight: 720 },
    { type: 'candidate-pair', nominated: false, state: 'succeeded', currentRoundTripTime: 5 },
    { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: rtt },
  ];

  it('WebRTC: video jitter-buffer delay per emitted frame plus the nominated pair round trip', () => {
    const first = webrtcMeasure(stats(12, 100));
    // 12 s over 100 frames = 120 ms, + 40 ms round trip.
    expect(first).toEqual({ latencyMs: 160, rendition: '720p', counters: { delay: 12, emitted: 100 } });
    // The next reading uses what changed since: 9 s over 300 more frames = 30 ms, + 40 ms.
    expect(webrtcMeasure(stats(21, 400), first!.counters)!.latencyMs).toBe(70);
    expect(webrtcMeasure([{ type: 'inbound-rtp', kind: 'video', jitterBufferEmittedCount: 0 }])).toBeNull();
    expect(webrtcMeasure([])).toBeNull();
  });

  it('rendition names the backend accepts, and the playlist token of a VOD URL', () => {
    expect(renditionName('720p')).toBe('720p');
    expect(renditionName('720p (avc1.64001f)', 720)).toBe('720p');
    expect(renditionName('a'.repeat(40))).toBeUndefined();
    expect(playlistToken('/api/vods/v1/playlist.m3u8?token=abc.def')).toBe('abc.def');
    expect(playlistToken('/api/vods/v1/playlist.m3u8')).toBeNull();
  });
});

describe('attachBeacons', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('live LL-HLS: one latency beacon every 10 s while playing, none while paused, none after detach', async () => {
    const send = vi.fn();
    const p = fakePlayer();
    p.mse = { latency: 2.5, currentLevel: 0, levels: [{ height: 480 }] };
    const detach = attachBeacons(p, { kind: 'live', streamId: 's1', sessionId: 'b1' }, { send });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send).toHaveBeenCalledTimes(1);
    const [path, body] = send.mock.calls[0]!;
    expect(path).toBe('/api/beacons/latency');
    expect(body).toEqual({ streamId: 's1', sessionId: 'b1', viewerId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), protocol: 'llhls', rendition: '480p', latencyMs: 2500 });
    p.state = 'paused';
    await vi.advanceTimersByTimeAsync(20_000);
    expect(send).toHaveBeenCalledTimes(1);
    p.state = 'playing';
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send).toHaveBeenCalledTimes(2);
    // Same player instance, same viewer id.
    expect(send.mock.calls[1]![1].viewerId).toBe(body.viewerId);
    detach();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('live WebRTC: reads the peer connection OvenPlayer prepared', async () => {
    const send = vi.fn();
    const p = fakePlayer();
    p.provider = 'webrtc';
    attachBeacons(p, { kind: 'live', streamId: 's1', sessionId: 'b1' }, { send });
    // No peer connection yet: nothing to measure.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send).not.toHaveBeenCalled();
    const report = new Map<string, unknown>([
      ['v', { type: 'inbound-rtp', kind: 'video', jitterBufferDelay: 6, jitterBufferEmittedCount: 100, frameHeight: 1080 }],
      ['p', { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.02 }],
    ]);
    p.emit('peerConnectionPrepared', { getStats: () => Promise.resolve(report) });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send).toHaveBeenCalledWith('/api/beacons/latency', expect.objectContaining({ protocol: 'webrtc', latencyMs: 80, rendition: '1080p' }));
  });

  it('VOD: a first beacon when playback starts, then the time played since the previous one', async () => {
    const send = vi.fn();
    let now = 1_000_000;
    const p = fakePlayer();
    p.state = 'idle';
    const detach = attachBeacons(p, { kind: 'vod', vodId: 'v1', token: 'tok' }, { send, now: () => now });
    await vi.advanceTimersByTimeAsync(10_000);
    now += 10_000;
    expect(send).not.toHaveBeenCalled();
    p.emit('stateChanged', { prevstate: 'loading', newstate: 'playing' });
    expect(send).toHaveBeenLastCalledWith('/api/beacons/vod', { vodId: 'v1', viewerId: expect.any(String), token: 'tok', watchedMs: 0, positionMs: 0 });
    now += 7_000;
    p.position = 7;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send).toHaveBeenLastCalledWith('/api/beacons/vod', expect.objectContaining({ watchedMs: 7_000, positionMs: 7_000 }));
    // Paused after 3 s more: those 3 s are reported at once; nothing while paused.
    now += 3_000;
    p.position = 10;
    p.emit('stateChanged', { newstate: 'paused' });
    expect(send).toHaveBeenLastCalledWith('/api/beacons/vod', expect.objectContaining({ watchedMs: 3_000, positionMs: 10_000 }));
    const count = send.mock.calls.length;
    now += 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(send).toHaveBeenCalledTimes(count);
    // Playing again, then the page closes: the remainder goes out on detach.
    p.emit('stateChanged', { newstate: 'playing' });
    now += 4_000;
    detach();
    expect(send).toHaveBeenLastCalledWith('/api/beacons/vod', expect.objectContaining({ watchedMs: 4_000 }));
    expect(send).toHaveBeenCalledTimes(count + 1);
  });
});
