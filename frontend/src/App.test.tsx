import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { AppRoutes } from './App';
import { getSession, setSession } from './api';
import { apiError, fakeJwt, installFakeFetch, json, sseResponse, USER } from './test/fakeFetch';
import { plotWith } from './test/fakeUPlot';

// OvenPlayer needs a real browser; the e2e test covers it. Here the page only has to hand it the right sources.
vi.mock('./components/player/loadOvenPlayer', () => ({
  loadOvenPlayer: () => Promise.resolve(() => ({ on: () => {}, remove: () => {} })),
}));

// uPlot draws on a canvas (none in jsdom): the charts get a recorder; the e2e test covers the drawing.
vi.mock('./components/charts/loadUPlot', async () => {
  const { FakeUPlot } = await import('./test/fakeUPlot');
  return { loadUPlot: () => Promise.resolve(FakeUPlot) };
});

afterEach(() => vi.unstubAllGlobals());

const stream = (over: Record<string, unknown> = {}) => ({
  id: 's1',
  ownerId: 'u1',
  name: 'Friday show',
  description: null,
  visibility: 'public',
  record: true,
  status: 'idle',
  lastStartedAt: null,
  lastEndedAt: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  ...over,
});

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes />
    </MemoryRouter>,
  );
}

describe('session handling', () => {
  it('sends a visitor without a session to the login page', async () => {
    installFakeFetch({});
    renderAt('/streams');
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
  });

  it('on a 401 from the API goes back to login and says the session expired', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'GET /api/streams': () => apiError(401, 'unauthorized', 'Session expired'),
      'GET /api/events': () => apiError(401, 'unauthorized', 'Session expired'),
    });
    renderAt('/streams');
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Your session expired, please log in again');
    expect(getSession()).toBeNull();
  });

  it('an already expired token never reaches the API and shows the same message', async () => {
    setSession({ token: fakeJwt(-5), user: USER });
    const { calls } = installFakeFetch({});
    renderAt('/streams');
    expect(await screen.findByText('Your session expired, please log in again')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('logs in, stores the session and opens the page the user wanted', async () => {
    const token = fakeJwt(3600);
    installFakeFetch({
      'POST /api/auth/login': () => json(200, { token, user: USER }),
      'GET /api/streams': () => json(200, { streams: [] }),
      'GET /api/events': () => sseResponse().response,
    });
    renderAt('/streams');
    await userEvent.type(await screen.findByLabelText('Email'), 'ann@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'secret-pass');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('heading', { name: 'No streams yet' })).toBeInTheDocument();
    expect(getSession()?.token).toBe(token);
  });

  it('shows "email taken" next to the email field on sign up', async () => {
    installFakeFetch({ 'POST /api/auth/register': () => apiError(409, 'email_taken', 'Email already registered') });
    renderAt('/signup');
    await userEvent.type(screen.getByLabelText('Email'), 'ann@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/Use between 8 and 200 characters/);
    await userEvent.type(screen.getByLabelText('Password'), '-enough');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(/already exists/)).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(/already exists/);
  });

  it('shows the API\'s weak_password advice next to the password field on sign up', async () => {
    const advice = 'This password is too easy to guess: This is a heavily used password. A few unrelated words make a strong password.';
    installFakeFetch({ 'POST /api/auth/register': () => apiError(400, 'weak_password', advice, [{ path: 'password', message: advice }]) });
    renderAt('/signup');
    await userEvent.type(screen.getByLabelText('Email'), 'ann@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'password1');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(advice)).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(expect.stringContaining(advice));
  });
});

describe('streams list', () => {
  it('turns the badge LIVE when the server pushes a status event, without reloading', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const sse = sseResponse();
    const { calls } = installFakeFetch({
      'GET /api/streams': () => json(200, { streams: [stream()] }),
      'GET /api/events': () => sse.response,
      'GET /api/streams/s1/stats': () => apiError(404, 'not_found', 'Not found'),
    });
    renderAt('/streams');
    const item = await screen.findByTestId('stream-item');
    expect(within(item).getByTestId('status-badge')).toHaveTextContent('Idle');
    await screen.findByText('Live updates on');
    sse.push('event: stream.status\ndata: {"streamId":"s1","status":"live","at":"2026-11-22T01:00:00.000Z"}\n\n');
    await vi.waitFor(() => expect(within(item).getByTestId('status-badge')).toHaveTextContent('LIVE'));
    // the stats endpoint is missing on this server: shown gracefully
    expect(await within(item).findByText('stats unavailable')).toBeInTheDocument();
    expect(calls.filter((c) => c.url === '/api/streams')).toHaveLength(1);
  });

  it('shows what to do first when there are no streams', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'GET /api/streams': () => json(200, { streams: [] }),
      'GET /api/events': () => sseResponse().response,
    });
    renderAt('/streams');
    expect(await screen.findByRole('link', { name: 'Create your first stream' })).toHaveAttribute('href', '/streams/new');
  });
});

describe('stream page', () => {
  const ingest = {
    rtmp: { server: 'rtmp://media.example.com:1935/app', streamKey: 's1?token=secret.jwt.value' },
    srt: { url: 'srt://media.example.com:9999?streamid=x' },
    whip: { url: 'http://media.example.com:3333/app/s1?direction=whip&token=x' },
  };

  it('shows OBS settings with the key hidden until revealed, and rotates it after confirmation', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const rotated = { ...ingest, rtmp: { ...ingest.rtmp, streamKey: 's1?token=new.key' } };
    const { calls } = installFakeFetch({
      'GET /api/streams/s1': () => json(200, { stream: stream() }),
      'GET /api/streams/s1/ingest': () => json(200, ingest),
      'GET /api/streams/s1/playback': () =>
        json(200, { webrtc: 'ws://m/app/s1', llhls: 'http://m/app/s1/llhls.m3u8', token: null, expiresAt: null }),
      'GET /api/streams/s1/sessions': () => json(200, { sessions: [] }),
      'GET /api/streams/s1/events': () => sseResponse().response,
      'POST /api/streams/s1/rotate-key': () => json(200, rotated),
    });
    renderAt('/streams/s1');
    const server = await screen.findByLabelText('RTMP Server');
    expect(server).toHaveValue('rtmp://media.example.com:1935/app');
    const key = screen.getByLabelText('Stream Key');
    expect(key).toHaveAttribute('type', 'password');
    await userEvent.click(screen.getByRole('button', { name: 'Show Stream Key' }));
    expect(key).toHaveAttribute('type', 'text');
    expect(key).toHaveValue('s1?token=secret.jwt.value');

    await userEvent.click(screen.getByRole('button', { name: 'Rotate key' }));
    expect(calls.some((c) => c.url.endsWith('/rotate-key'))).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Yes, rotate key' }));
    await vi.waitFor(() => expect(screen.getByLabelText('Stream Key')).toHaveValue('s1?token=new.key'));
    expect(screen.getByText(/New key created/)).toBeInTheDocument();
    expect(screen.getByLabelText('Public watch link')).toHaveValue(`${window.location.origin}/watch/s1`);
  });
});

describe('webhooks page', () => {
  it('shows the signing secret once after adding an endpoint', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const endpoint = { id: 'w1', url: 'https://example.com/hook', events: [], enabled: true, createdAt: '2026-11-22T00:00:00Z' };
    installFakeFetch({
      'GET /api/webhooks': () => json(200, { endpoints: [] }),
      'POST /api/webhooks': () => json(201, { endpoint, secret: 'whsec_123' }),
      'GET /api/webhooks/w1/deliveries': () =>
        json(200, {
          deliveries: [
            { id: 'd1', eventId: 'e1', eventType: 'stream.live', status: 'failed', attempts: 3, lastStatusCode: 500, lastError: null, createdAt: '2026-11-22T00:00:00Z', deliveredAt: null },
          ],
        }),
    });
    renderAt('/webhooks');
    await userEvent.type(await screen.findByLabelText('Endpoint URL'), 'not a url');
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(screen.getByLabelText('Endpoint URL')).toHaveAccessibleDescription(/Enter a full URL/);
    await userEvent.clear(screen.getByLabelText('Endpoint URL'));
    await userEvent.type(screen.getByLabelText('Endpoint URL'), 'https://example.com/hook');
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByLabelText('Signing secret')).toHaveValue('whsec_123');
    await userEvent.click(screen.getByRole('button', { name: 'I have saved it' }));
    expect(screen.queryByLabelText('Signing secret')).toBeNull();
    expect(screen.queryByText('whsec_123')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Show deliveries' }));
    const row = await screen.findByRole('row', { name: /stream\.live/ });
    expect(row).toHaveTextContent('failed');
    expect(row).toHaveTextContent('500');
  });
});

describe('API keys page', () => {
  it('creates a scoped key, shows it once with a copy button, lists and revokes keys', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const old = { id: 'k0', name: 'old box', prefix: 'ocp_0123abcd', scopes: ['vods:read'], createdAt: '2026-11-20T00:00:00Z', lastUsedAt: '2026-11-21T00:00:00Z', revokedAt: null };
    const made = { id: 'k1', name: 'encoder farm', prefix: 'ocp_89abcdef', scopes: ['streams:read', 'webhooks:write'], createdAt: '2026-11-22T00:00:00Z', lastUsedAt: null, revokedAt: null };
    const secret = `ocp_${'89abcdef'.repeat(4)}_${'5'.repeat(48)}`;
    const { calls } = installFakeFetch({
      'GET /api/api-keys': () => json(200, { apiKeys: [old] }),
      'POST /api/api-keys': () => json(201, { apiKey: made, key: secret }),
      'DELETE /api/api-keys/k0': () => json(204, null),
    });
    renderAt('/api-keys');
    expect(await screen.findByRole('row', { name: /old box/ })).toHaveTextContent('vods:read');
    // Nothing chosen: the form says what is missing and sends nothing.
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(screen.getByText('Choose at least one scope.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    await userEvent.type(screen.getByLabelText('Name'), 'encoder farm');
    await userEvent.click(screen.getByRole('checkbox', { name: /webhooks:write/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /streams:read/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByLabelText('API key')).toHaveValue(secret);
    expect(screen.getByRole('button', { name: /Copy API key/ })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'encoder farm', scopes: ['streams:read', 'webhooks:write'] });
    expect(screen.getByRole('row', { name: /encoder farm/ })).toHaveTextContent('Never');
    await userEvent.click(screen.getByRole('button', { name: 'I have saved it' }));
    expect(screen.queryByLabelText('API key')).toBeNull();
    expect(document.body.textContent).not.toContain(secret);
    const oldRow = screen.getByRole('row', { name: /old box/ });
    await userEvent.click(within(oldRow).getByRole('button', { name: 'Revoke' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Yes, revoke' }));
    expect(await within(oldRow).findByText(/^Revoked/)).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith('/api/api-keys/k0'))).toBe(true);
  });
});

describe('VOD library', () => {
  it('says the library is not available when the endpoint does not exist yet', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({ 'GET /api/streams': () => json(200, { streams: [] }) });
    renderAt('/vods');
    expect(await screen.findByText('The VOD library is not available on this server yet.')).toBeInTheDocument();
  });

  it('lists recordings with status, failure reason and duration', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const vod = (over: Record<string, unknown>) => ({
      id: 'v1', streamId: 's1', sessionId: null, title: 'Friday show — 22 Nov', status: 'ready', error: null,
      durationMs: 3_725_000, sizeBytes: 1_500_000_000, storageBytes: 2_250_000_000, posterUrl: null, createdAt: '2026-11-22T00:00:00Z', readyAt: null, ...over,
    });
    installFakeFetch({
      'GET /api/streams': () => json(200, { streams: [stream()] }),
      'GET /api/vods': () => json(200, { vods: [vod({}), vod({ id: 'v2', title: 'Broken', status: 'failed', error: 'ffmpeg exited 1', durationMs: null, storageBytes: null })] }),
      'GET /api/usage': () => json(200, { usage: { storageBytes: 2_250_000_000, vods: 2, unmeasuredVods: 0 } }),
    });
    renderAt('/vods');
    const items = await screen.findAllByTestId('vod-item');
    // Storage over every rendition of each VOD, and the account's total in the header.
    expect(items[0]).toHaveTextContent('2.3 GB');
    expect(await screen.findByTestId('storage-used')).toHaveTextContent('Storage used: 2.3 GB in 2 recordings');
    expect(items[0]).toHaveTextContent('Ready');
    expect(items[0]).toHaveTextContent('1:02:05');
    expect(within(items[0]!).getByRole('link', { name: 'Friday show — 22 Nov' })).toHaveAttribute('href', '/vods/v1');
    expect(items[1]).toHaveTextContent('Failed: ffmpeg exited 1');
  });
});

describe('VOD replay', () => {
  const base = {
    id: 'v1', streamId: 's1', sessionId: null, title: 'Friday show — 22 Nov', status: 'ready', error: null,
    durationMs: 60_000, sizeBytes: null, storageBytes: null, renditions: [], posterUrl: 'https://storage.example.com/p.jpg', createdAt: '2026-11-22T00:00:00Z', readyAt: null,
    clip: null, download: { status: 'none', error: null, sizeBytes: null },
  };

  it('plays a ready VOD over HLS from its signed URL', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const hls = 'https://storage.example.com/vods/v1/master.m3u8?X-Goog-Signature=abc';
    installFakeFetch({ 'GET /api/vods/v1': () => json(200, { vod: base, playback: { hls } }) });
    renderAt('/vods/v1');
    const player = await screen.findByTestId('player');
    expect(JSON.parse(player.getAttribute('data-sources')!)).toEqual([{ type: 'hls', file: hls, label: 'HLS' }]);
  });

  it('explains a failed VOD instead of showing a player', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'GET /api/vods/v1': () => json(200, { vod: { ...base, status: 'failed', error: 'upload failed: 403' }, playback: null }),
    });
    renderAt('/vods/v1');
    expect(await screen.findByText('Processing failed: upload failed: 403')).toBeInTheDocument();
    expect(screen.queryByTestId('player')).toBeNull();
  });
});

describe('live preview', () => {
  it('mounts the player with the playback URLs once the stream goes live', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const sse = sseResponse();
    const playback = { webrtc: 'ws://m:3333/app/s1', llhls: 'http://m:3333/app/s1/llhls.m3u8', token: null, expiresAt: null };
    let status = 'idle'; // what the server has committed
    installFakeFetch({
      'GET /api/streams/s1': () => json(200, { stream: stream({ status }) }),
      'GET /api/streams/s1/ingest': () =>
        json(200, { rtmp: { server: 'rtmp://m/app', streamKey: 'k' }, srt: { url: 'srt://m' }, whip: { url: 'http://m' } }),
      'GET /api/streams/s1/playback': () => json(200, playback),
      'GET /api/streams/s1/sessions': () => json(200, { sessions: [] }),
      'GET /api/streams/s1/events': () => sse.response,
      'GET /api/streams/s1/stats': () => apiError(502, 'ome_unreachable', 'OME is not reachable'),
    });
    renderAt('/streams/s1');
    await screen.findByText('The preview appears here when you go live.');
    expect(screen.queryByTestId('player')).toBeNull();
    status = 'live';
    sse.push('event: stream.status\ndata: {"streamId":"s1","status":"live","at":"2026-11-22T01:00:00.000Z"}\n\n');
    const player = await screen.findByTestId('player');
    expect(JSON.parse(player.getAttribute('data-sources')!).map((x: { type: string; file: string }) => [x.type, x.file])).toEqual([
      ['webrtc', playback.webrtc],
      ['llhls', playback.llhls],
    ]);
    expect(await screen.findByText('Stats unavailable right now.')).toBeInTheDocument();
  });

  it("charts the broadcast on air once the stream is live, and drops the card when it ends", async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const sse = sseResponse();
    let status = 'idle';
    const open = { id: 'se1', protocol: 'rtmp', clientAddress: '203.0.113.9', startedAt: '2026-11-22T01:00:00.000Z', endedAt: null as string | null, endReason: null as string | null, reconnectCount: 0, gaps: [], vod: null };
    installFakeFetch({
      'GET /api/streams/s1': () => json(200, { stream: stream({ status }) }),
      'GET /api/streams/s1/ingest': () =>
        json(200, { rtmp: { server: 'rtmp://m/app', streamKey: 'k' }, srt: { url: 'srt://m' }, whip: { url: 'http://m' } }),
      'GET /api/streams/s1/playback': () => json(200, { webrtc: 'ws://m/app/s1', llhls: 'http://m/app/s1/llhls.m3u8', token: null, expiresAt: null }),
      'GET /api/streams/s1/sessions': () => json(200, { sessions: status === 'idle' ? [] : [open] }),
      'GET /api/streams/s1/events': () => sse.response,
      'GET /api/streams/s1/stats': () => apiError(502, 'ome_unreachable', 'OME is not reachable'),
      'GET /api/streams/s1/sessions/se1/health': () =>
        json(200, { intervalMs: 5000, peakViewers: 4, viewerMinutes: 0.3, samples: [{ at: '2026-11-22T01:00:05.000Z', bitrateInBps: 362_000, fps: 30, viewers: { webrtc: 3, llhls: 1, total: 4 } }] }),
    });
    renderAt('/streams/s1');
    await screen.findByText('The preview appears here when you go live.');
    expect(screen.queryByRole('region', { name: 'Health over time' })).toBeNull();
    status = 'live';
    sse.push('event: stream.status\ndata: {"streamId":"s1","status":"live","at":"2026-11-22T01:00:00.000Z"}\n\n');
    const card = await screen.findByRole('region', { name: 'Health over time' });
    expect(await within(card).findByTestId('peak-viewers')).toHaveTextContent('4');
    await vi.waitFor(() => expect(plotWith('WebRTC').data).toEqual([[Date.parse('2026-11-22T01:00:05.000Z') / 1000], [3], [1], [4]]));
    status = 'ended';
    open.endedAt = '2026-11-22T01:10:00.000Z';
    open.endReason = 'publisher_left';
    sse.push('event: stream.status\ndata: {"streamId":"s1","status":"ended","at":"2026-11-22T01:10:00.000Z"}\n\n');
    await vi.waitFor(() => expect(screen.queryByRole('region', { name: 'Health over time' })).toBeNull());
    expect(await screen.findByRole('button', { name: /^Show charts of the broadcast started/ })).toBeInTheDocument();
  });

  it('a page opened as the broadcast starts (stream already live, sessions read just before) fetches the sessions again to chart it', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const sse = sseResponse();
    const open = { id: 'se2', protocol: 'rtmp', clientAddress: '203.0.113.9', startedAt: '2026-11-22T01:00:00.000Z', endedAt: null, endReason: null, reconnectCount: 0, gaps: [], vod: null };
    let sessionReads = 0;
    installFakeFetch({
      'GET /api/streams/s1': () => json(200, { stream: stream({ status: 'live', lastStartedAt: '2026-11-22T01:00:00.000Z' }) }),
      'GET /api/streams/s1/ingest': () =>
        json(200, { rtmp: { server: 'rtmp://m/app', streamKey: 'k' }, srt: { url: 'srt://m' }, whip: { url: 'http://m' } }),
      'GET /api/streams/s1/playback': () => json(200, { webrtc: 'ws://m/app/s1', llhls: 'http://m/app/s1/llhls.m3u8', token: null, expiresAt: null }),
      // The first read landed before the broadcast's session was written.
      'GET /api/streams/s1/sessions': () => json(200, { sessions: sessionReads++ === 0 ? [] : [open] }),
      'GET /api/streams/s1/events': () => sse.response,
      'GET /api/streams/s1/stats': () => apiError(502, 'ome_unreachable', 'OME is not reachable'),
      'GET /api/streams/s1/sessions/se2/health': () => json(200, { intervalMs: 5000, peakViewers: 0, viewerMinutes: 0, samples: [] }),
    });
    renderAt('/streams/s1');
    await vi.waitFor(() => expect(screen.getByTestId('status-badge')).toHaveAttribute('data-status', 'live'));
    await vi.waitFor(() => expect(sessionReads).toBeGreaterThanOrEqual(1));
    // The event stream opens with the status the page already has: no change, so no refresh from there.
    sse.push('event: stream.status\ndata: {"streamId":"s1","status":"live","at":"2026-11-22T01:00:00.000Z"}\n\n');
    const card = await screen.findByRole('region', { name: 'Health over time' });
    expect(await within(card).findByTestId('health-charts-empty')).toHaveTextContent('No samples yet');
    expect(await screen.findByText('still live')).toBeInTheDocument();
    expect(sessionReads).toBe(2); // once more, not a loop
  });
});
