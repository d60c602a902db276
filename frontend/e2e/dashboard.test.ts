// @vitest-environment node
// End to end in a real browser (Debian's Chromium via playwright-core) against the real backend
// (real PostgreSQL and Redis) and the built dashboard. OME plays its part through signed admission
// webhooks and a stand-in for its REST API, both with payloads captured from OME 0.20, and by writing
// a recording + info.xml the way its FILE publisher does, which the real VOD worker turns into a VOD
// on the GCS test server.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBackend, type BackendProcess } from './backend';
import { ensureBuilt } from './build';
import { GcsTestServer } from '../../vod-uploader/test/support/gcs-test-server.js';
import { TEST_BUCKET } from '../../vod-uploader/test/support/harness.js';
import { LadderBroadcast, makeLadder, makeRecording, writeInfo } from '../../vod-uploader/test/support/media.js';
import { startFakeOmeApi, type FakeOmeApi } from './fake-ome-api';
import { startGcsFront, type GcsFront } from './gcs-front';
import { sendRtmpAdmission } from './ome';
import { startStaticServer, type StaticServer } from './static-server';
import { startVodWorker, type VodWorkerProcess } from './vod-worker';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'e2e');
const STEP = 60_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let backend: BackendProcess;
let ome: FakeOmeApi;
let web: StaticServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let gcs: GcsTestServer;
let gcsForWorker: GcsFront; // holds the worker's uploads on demand
let gcsForBrowser: GcsFront; // the address signed URLs name, with the CORS a web-playback bucket has
let worker: VodWorkerProcess;
let scratch = ''; // RECORDINGS_DIR and the worker's work dir
const mediaRequests: string[] = []; // WebSocket and HTTP requests the page made, in order
const problems: string[] = [];
const noise: string[] = []; // expected messages, saved next to the screenshots for review
let expectingUnauthorized = false;

// Shared between the steps (they run in order and build on each other).
const email = `e2e-${Date.now()}@example.com`;
const password = 'correct-horse-battery';
let streamId = '';
let publishUrl = '';
let vodId = '';
let vodTitle = '';
const clientPort = 40_000 + Math.floor(Math.random() * 20_000);
let publisherPort = clientPort; // the encoder's connection; a reconnect comes from a new one

/** Network noise the test causes on purpose: OME's media port is closed, its REST API is down for a while (stats → 502). */
function expectedNoise(msg: ConsoleMessage): boolean {
  const text = msg.text();
  const where = msg.location().url;
  const ome = `127.0.0.1:${backend.omePort}/`;
  if (text.startsWith(`WebSocket connection to 'ws://${ome}`)) return true;
  if (/Failed to load resource/.test(text) && (where.includes(`//${ome}`) || /\/api\/streams\/[^/]+\/stats$/.test(where)))
    return true;
  if (expectingUnauthorized && /status of 401/.test(text)) return true;
  if (/status of 400/.test(text) && where.endsWith('/api/auth/register')) return true; // the rejected sign-up, on purpose
  if (/status of 400/.test(text) && where.endsWith('/api/webhooks')) return true; // the internal webhook URL, refused on purpose
  if (/status of 400/.test(text) && where.endsWith('/api/auth/password')) return true; // the refused weak new password, on purpose
  if (/status of 400/.test(text) && /\/api\/streams\/[^/]+\/outputs$/.test(where)) return true; // the refused private destination, on purpose
  if (/status of 404/.test(text) && /\/api\/public\/streams\/[^/]+$/.test(where)) return true; // private stream without a token, on purpose
  return false;
}

function watch(p: Page, name: string) {
  p.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return;
    const line = `[${name}] console.${msg.type()}: ${msg.text()} @ ${msg.location().url}`;
    if (msg.type() === 'error' && !expectedNoise(msg)) problems.push(line);
    else noise.push(line);
  });
  p.on('pageerror', (err) => problems.push(`[${name}] page error: ${err.message}`));
}

/** Publish tokens differ per read (fresh `iat`); compare URLs with the token value masked. */
const withoutTokens = (url: string) => url.replace(/token(=|%3D)[\w.-]+/g, 'token$1…');
const nav = (p: Page, name: string) => p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/**
 * What the health charts inside `scope` drew: per chart its title, how many points uPlot last drew
 * (data-drawn, set from its draw hook) and how many canvas pixels have each line colour.
 */
async function drawnCharts(scope: ReturnType<Page['locator']>) {
  return scope.locator('[data-testid="time-series-chart"]').evaluateAll((figures) => {
    const colours = { blue: [0x4f, 0x8c, 0xff], green: [0x30, 0xa4, 0x6c], orange: [0xf5, 0xa5, 0x24] };
    return figures.map((f) => {
      const canvas = f.querySelector('canvas');
      const counts = { blue: 0, green: 0, orange: 0 };
      if (canvas && canvas.width > 0) {
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < px.length; i += 4) {
          if (px[i + 3]! < 200) continue;
          for (const [name, [r, g, b]] of Object.entries(colours) as [keyof typeof counts, [number, number, number]][])
            if (Math.abs(px[i]! - r) + Math.abs(px[i + 1]! - g) + Math.abs(px[i + 2]! - b) < 40) counts[name] += 1;
        }
      }
      return { title: f.getAttribute('data-title'), points: Number(f.getAttribute('data-points')), drawn: Number(f.querySelector('.chart-plot')?.getAttribute('data-drawn') ?? 0), width: canvas?.width ?? 0, ...counts };
    });
  });
}

async function sessionToken(): Promise<string> {
  const token = await page.evaluate(() => sessionStorage.getItem('ocp.session.token'));
  expect(token).toBeTruthy();
  return token!;
}

async function apiGet<T>(pathname: string): Promise<T> {
  const res = await fetch(`${backend.url}${pathname}`, { headers: { Authorization: `Bearer ${await sessionToken()}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('dashboard in a real browser', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/ensure-system-deps.sh (apt package "chromium")`);
    mkdirSync(SHOTS, { recursive: true });
    const dist = ensureBuilt();
    ome = await startFakeOmeApi('e2e-ome-access-token');
    gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
    gcsForWorker = await startGcsFront(gcs.url);
    gcsForBrowser = await startGcsFront(gcs.url, { cors: true });
    scratch = await mkdtemp(path.join(os.tmpdir(), 'ocp-e2e-vod-'));
    mkdirSync(path.join(scratch, 'records'));
    const redisPrefix = `${inject('redisPrefix')}:frontend-e2e`; // backend and worker share queues under it
    [backend, worker] = await Promise.all([
      startBackend({
        omeApiUrl: ome.url,
        omeApiAccessToken: ome.accessToken,
        databaseUrl: inject('databaseUrl'),
        redisUrl: inject('redisUrl'),
        redisPrefix,
        // Emulator mode: the backend signs with a key of its own, so the test server cannot check
        // signatures here (vod-uploader's playback test does); the URLs name the browser's address.
        env: {
          GCS_BUCKET: TEST_BUCKET, GCS_PREFIX: 'vods/', GCS_API_ENDPOINT: gcs.url, GCS_PUBLIC_ENDPOINT: gcsForBrowser.url, GCS_PROJECT_ID: 'ocp-test',
          // Health samples every second (5 s in production), so the charts fill while the steps run.
          HEALTH_SAMPLE_INTERVAL_MS: '1000',
        },
      }),
      startVodWorker({
        databaseUrl: inject('databaseUrl'),
        redisUrl: inject('redisUrl'),
        redisPrefix,
        gcsUrl: gcsForWorker.url,
        recordingsDir: path.join(scratch, 'records'),
        workDir: path.join(scratch, 'work'),
      }),
    ]);
    web = await startStaticServer(dist, backend.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      timeout: 30_000,
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, baseURL: web.url });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    watch(page, 'creator');
    page.on('websocket', (ws) => mediaRequests.push(ws.url()));
    page.on('request', (r) => mediaRequests.push(r.url()));
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await web?.close();
    if (worker) writeFileSync(path.join(SHOTS, 'vod-uploader.log'), `${worker.logs()}\n`); // for review when a VOD step fails
    await worker?.stop();
    await backend?.stop();
    await ome?.close();
    await gcsForWorker?.close();
    await gcsForBrowser?.close();
    await gcs?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 30_000);

  it('signs up and lands on an empty streams list that says what to do first', { timeout: STEP }, async () => {
    await page.goto('/streams');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await shot(page, '01-login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    // Passes the form's own check but not the API's email rule: the API's message lands by the field.
    await page.getByLabel('Email').fill('two..dots@example.com');
    await page.getByLabel('Password').fill(password);
    const rejected = page.waitForResponse((r) => r.url().endsWith('/api/auth/register'));
    await page.getByRole('button', { name: 'Create account' }).click();
    const res = await rejected;
    expect(res.status()).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string; message: string }[] } };
    const apiMessage = body.error.details.find((d) => d.path === 'email')!.message;
    await expect.poll(() => page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await page.getByLabel('Email').getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toBe(apiMessage);
    await shot(page, '01b-signup-api-validation');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'No streams yet' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/streams');
    await shot(page, '02-streams-empty');
  });

  it('creates a stream (form validation by the field) and shows its OBS settings', { timeout: STEP }, async () => {
    await page.getByRole('link', { name: 'Create your first stream' }).click();
    await page.getByRole('heading', { name: 'New stream' }).waitFor();
    // 101 characters: the browser caps typing at maxLength, so lift it to reach the form's own check.
    await page.getByLabel('Name').evaluate((el: HTMLInputElement) => el.removeAttribute('maxlength'));
    await page.getByLabel('Name').fill('x'.repeat(101));
    await page.getByRole('button', { name: 'Create stream' }).click();
    await expect.poll(() => page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Name').fill('E2E Friday show');
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBeNull(); // message cleared on edit
    await page.getByLabel('Description (optional)').fill('Made by the end-to-end test');
    await shot(page, '03-new-stream');
    await page.getByRole('button', { name: 'Create stream' }).click();
    await page.getByRole('heading', { name: 'OBS settings' }).waitFor();
    streamId = new URL(page.url()).pathname.split('/')[2]!;
    expect(streamId).toMatch(/^[0-9a-f-]{36}$/);

    const server = await page.getByRole('textbox', { name: 'RTMP Server' }).inputValue();
    const key = page.getByRole('textbox', { name: 'Stream Key' });
    expect(await key.getAttribute('type')).toBe('password');
    const ingest = await apiGet<{ rtmp: { server: string; streamKey: string }; srt: { url: string }; whip: { url: string } }>(
      `/api/streams/${streamId}/ingest`,
    );
    expect(server).toBe(ingest.rtmp.server);
    // Each ingest read mints a fresh publish token, so compare the shape; the key shown is the one
    // used below to publish, which proves it is accepted.
    const shownKey = await key.inputValue();
    expect(shownKey).toMatch(new RegExp(`^${streamId}\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(ingest.rtmp.streamKey.split('?')[0]).toBe(streamId);
    await page.getByText('Other protocols (SRT, WHIP)').click();
    const srt = await page.getByRole('textbox', { name: 'SRT URL' }).inputValue();
    const whip = await page.getByRole('textbox', { name: 'WHIP URL' }).inputValue();
    expect(withoutTokens(srt)).toBe(withoutTokens(ingest.srt.url));
    expect(withoutTokens(whip)).toBe(withoutTokens(ingest.whip.url));
    expect(srt).toContain(streamId);
    expect(whip).toMatch(/direction=whip&token=[\w-]+\.[\w-]+\.[\w-]+$/);
    await expect.poll(() => page.getByTestId('status-badge').getAttribute('data-status')).toBe('idle');
    publishUrl = `${server}/${shownKey}`;
    await shot(page, '04-stream-idle');
  });

  it('turns LIVE without a reload when OME admits the publish, and mounts OvenPlayer with WebRTC then LL-HLS', { timeout: STEP }, async () => {
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    ome.live.add(streamId); // what OME's REST API reports once the encoder is in
    ome.viewers.webrtc = 3;
    ome.viewers.llhls = 1;
    const admission = await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'opening', publishUrl, clientPort);
    expect(admission).toMatchObject({ status: 200, body: { allowed: true } });

    await expect.poll(() => page.getByTestId('status-badge').getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    const player = page.getByTestId('player');
    await player.waitFor();
    const playback = await apiGet<{ webrtc: string; llhls: string }>(`/api/streams/${streamId}/playback`);
    const sources = JSON.parse((await player.getAttribute('data-sources'))!) as { type: string; file: string }[];
    expect(sources.map((s) => [s.type, s.file])).toEqual([
      ['webrtc', playback.webrtc],
      ['llhls', playback.llhls],
    ]);
    // OvenPlayer really plays them in that order: WebRTC signalling first, then (OME is down here)
    // the automatic fallback to the LL-HLS playlist.
    await expect.poll(() => mediaRequests.indexOf(playback.llhls), { timeout: 20_000 }).toBeGreaterThan(-1);
    const webrtcAt = mediaRequests.indexOf(playback.webrtc);
    expect(webrtcAt).toBeGreaterThan(-1);
    expect(webrtcAt).toBeLessThan(mediaRequests.indexOf(playback.llhls));
    // OvenPlayer itself was loaded (its own lazy chunk) and built its UI inside the wrapper.
    await expect.poll(() => player.getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    await page.locator('[data-testid="player"] .ovenplayer').first().waitFor({ state: 'attached' });
    // Every source failed (no OME): the page offers a retry that builds a fresh player.
    const attemptsBefore = mediaRequests.filter((u) => u === playback.webrtc).length;
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => mediaRequests.filter((u) => u === playback.webrtc).length, { timeout: 15_000 }).toBeGreaterThan(attemptsBefore);
    // Stream health from OME's REST API (captured OME 0.20 payloads) through the real backend:
    // 1280x720 at ~30 fps, video 230673 + audio 131120 bit/s, 3 WebRTC + 1 LL-HLS viewers.
    const stats = page.getByTestId('stats');
    await stats.waitFor();
    await expect.poll(() => stats.innerText()).toMatch(/Bitrate\s+362 kbps/i);
    const statsText = await stats.innerText(); // labels are upper-cased by CSS
    expect(statsText).toMatch(/FPS\s+30/i);
    expect(statsText).toMatch(/Resolution\s+1280×720/i);
    expect(statsText).toMatch(/Viewers\s+4\s+\(WebRTC 3, LL-HLS 1\)/i);
    expect(statsText).toMatch(/H264 \/ AAC/);
    await page.waitForTimeout(1500); // let the player settle before the picture
    await shot(page, '05-stream-live');
  });

  it('charts the broadcast on air from the samples the backend takes of OME\'s stats, refreshed as they come', { timeout: STEP }, async () => {
    const card = page.getByRole('region', { name: 'Health over time' });
    await card.waitFor();
    // The backend samples OME's stats every second here; the page asks again at that interval.
    await expect.poll(async () => Number(await card.getByTestId('time-series-chart').first().getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => card.getByTestId('peak-viewers').textContent()).toBe('4');
    // More viewers join over WebRTC: the next samples carry them, the peak follows.
    ome.viewers.webrtc = 5;
    await expect.poll(() => card.getByTestId('peak-viewers').textContent(), { timeout: 10_000 }).toBe('6');
    const before = Number(await card.getByTestId('time-series-chart').first().getAttribute('data-points'));
    await page.waitForTimeout(2500);
    ome.viewers.webrtc = 3; // back to what the steps below expect
    await expect.poll(async () => Number(await card.getByTestId('time-series-chart').first().getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThan(before + 1);
    await expect.poll(async () => Number((await card.getByTestId('viewer-minutes').textContent())?.replace(/,/g, '')), { timeout: 5000 }).toBeGreaterThan(0);
    await page.waitForTimeout(2500);
    // What uPlot drew: every chart has all the points and its lines are on the canvas. The series
    // keeps growing every second, so points and drawn points are read in one snapshot.
    await expect.poll(async () => {
      const charts = await drawnCharts(card);
      return charts.length === 3 && charts.every((c) => c.points > 0 && c.drawn === c.points && c.points === charts[0]!.points);
    }, { timeout: 5000 }).toBe(true);
    const [bitrate, fps, viewers] = await drawnCharts(card);
    expect([bitrate!.title, fps!.title, viewers!.title]).toEqual(['Input bitrate', 'Frame rate', 'Viewers']);
    expect(bitrate!.blue).toBeGreaterThan(100); // the 0.36 Mbps line (accent blue)
    expect(fps!.green).toBeGreaterThan(100); // ~30 fps
    expect(viewers!.blue).toBeGreaterThan(100); // WebRTC
    expect(viewers!.orange).toBeGreaterThan(100); // LL-HLS
    expect(viewers!.width).toBeGreaterThan(bitrate!.width); // the viewers chart takes the whole row
    const cardWidth = await card.evaluate((el) => el.clientWidth);
    expect(bitrate!.width).toBeGreaterThan(0.4 * cardWidth); // two charts a row, each about half of it
    expect(fps!.width).toBeGreaterThan(0.4 * cardWidth);
    await card.getByRole('img', { name: /^Input bitrate: latest 0\.36 Mbps, peak 0\.36 Mbps$/ }).waitFor();
    await card.getByRole('img', { name: /^Viewers: total latest 4 viewers, peak 6 viewers; WebRTC latest 3 viewers, peak 5 viewers; LL-HLS latest 1 viewer, peak 1 viewer$/ }).waitFor();
    await card.screenshot({ path: path.join(SHOTS, '05c-health-charts-live.png') });
    await shot(page, '05c-stream-live-charts');
  });

  it('restreams to Twitch while live: the Restream panel adds it, shows it Active, and its toggle stops the push', { timeout: STEP }, async () => {
    const panel = page.getByRole('region', { name: 'Restream' });
    await panel.getByRole('button', { name: 'Add destination' }).click();
    await panel.getByLabel('Twitch').check();
    expect(await panel.getByLabel('Server URL').inputValue()).toBe('rtmps://live.twitch.tv:443/app');
    // The URL is typed by users: an internal address is refused by the field.
    await panel.getByLabel('Server URL').fill('rtmp://10.0.0.5/app');
    await panel.getByLabel('Stream key').fill('live_0123456789_e2eKEY');
    await panel.getByRole('button', { name: 'Add destination' }).last().click();
    await panel.getByText(/private-network address/).first().waitFor();
    // No DNS in the test sandbox: an ingest address stands for live.twitch.tv (names are resolved per push).
    await panel.getByLabel('Server URL').fill('rtmps://1.1.1.1:443/app');
    await panel.getByRole('button', { name: 'Add destination' }).last().click();
    const row = panel.locator('li.output-row').filter({ hasText: 'Twitch' });
    await row.waitFor();
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/Active/);
    expect(await row.innerText()).toContain('••••eKEY');
    expect(await page.content()).not.toContain('live_0123456789_e2eKEY');
    expect([...ome.pushes.values()].map((p) => [p.streamName, p.url])).toEqual([[streamId, 'rtmps://1.1.1.1:443/app']]);
    await shot(page, '05b-restream-active');
    await row.getByRole('switch', { name: 'Stop Twitch' }).click();
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/Stopped/);
    expect(ome.pushes.size).toBe(0);
  });

  it('shows the stream as LIVE in the list and lets an anonymous viewer watch it', { timeout: STEP }, async () => {
    await nav(page, 'Streams').click();
    const item = page.getByTestId('stream-item').filter({ hasText: 'E2E Friday show' });
    await expect.poll(() => item.getByTestId('status-badge').getAttribute('data-status')).toBe('live');
    await item.getByText('4 viewers · 362 kbps').waitFor();
    await shot(page, '06-streams-live');

    const viewerContext = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: web.url });
    try {
      const viewer = await viewerContext.newPage();
      watch(viewer, 'viewer');
      await viewer.goto(`/watch/${streamId}`);
      await viewer.getByRole('heading', { name: /E2E Friday show/ }).waitFor();
      const sources = JSON.parse((await viewer.getByTestId('player').getAttribute('data-sources'))!) as { type: string }[];
      expect(sources.map((s) => s.type)).toEqual(['webrtc', 'llhls']);
      await expect.poll(() => viewer.getByTestId('player').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
      await viewer.waitForTimeout(1000);
      await shot(viewer, '07-watch-mobile');
    } finally {
      await viewerContext.close();
    }
  });

  it('shows Reconnecting… with a countdown when the encoder drops, tells viewers it will resume, and is LIVE again in the same broadcast', { timeout: STEP }, async () => {
    await page.getByRole('link', { name: 'E2E Friday show' }).click();
    await expect.poll(() => page.getByTestId('status-badge').getAttribute('data-status')).toBe('live');
    // The stream was created with the form's default window (60 s).
    const before = await apiGet<{ stream: { reconnectWindowSeconds: number } }>(`/api/streams/${streamId}`);
    expect(before.stream.reconnectWindowSeconds).toBe(60);
    expect((await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'closing', publishUrl, publisherPort)).status).toBe(200);
    ome.live.delete(streamId);
    const badge = page.getByTestId('status-badge');
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 10_000 }).toBe('reconnecting');
    const first = (await badge.textContent())!;
    expect(first).toMatch(/^Reconnecting… (1:00|0:[0-5]\d) left$/); // a 60 s window, counted from the drop
    await page.waitForTimeout(2_100);
    const later = (await badge.textContent())!;
    const secs = (t: string) => Number(/(\d+):(\d\d) left/.exec(t)![1]) * 60 + Number(/(\d+):(\d\d) left/.exec(t)![2]);
    expect(secs(first) - secs(later)).toBeGreaterThanOrEqual(1); // counting down live, no reload
    await page.getByText('waiting for the publisher').waitFor(); // the open gap in the session history
    await page.getByText('Waiting for it to come back into this broadcast').waitFor(); // the preview's placeholder
    expect(await page.getByText('Stop the broadcast to delete').count()).toBe(1); // still on air: no delete
    await shot(page, '08a-stream-reconnecting');

    const viewerContext = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: web.url });
    try {
      const viewer = await viewerContext.newPage();
      watch(viewer, 'viewer');
      await viewer.goto(`/watch/${streamId}`);
      await viewer.getByText('The broadcast will resume shortly.').waitFor();
      expect(await viewer.getByRole('alert').count()).toBe(0);
      await shot(viewer, '08a-watch-reconnecting');

      // The encoder comes back (a new connection) inside the window: LIVE again, same broadcast.
      publisherPort = clientPort + 5;
      ome.live.add(streamId);
      expect((await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'opening', publishUrl, publisherPort)).body).toMatchObject({ allowed: true });
      await expect.poll(() => badge.getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
      expect(await badge.textContent()).toBe('LIVE');
      // The viewer's page polls faster while reconnecting and builds a fresh player.
      await viewer.getByTestId('player').waitFor({ timeout: 10_000 });
    } finally {
      await viewerContext.close();
    }
    const row = page.getByRole('row').filter({ hasText: 'RTMP' });
    await expect.poll(() => row.getByTestId('reconnect-count').textContent()).toBe('1');
    const { sessions } = await apiGet<{ sessions: { reconnectCount: number; endedAt: string | null; gaps: unknown[] }[] }>(`/api/streams/${streamId}/sessions`);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ reconnectCount: 1, endedAt: null });
    await shot(page, '08b-stream-live-again');
    // From here on a drop ends the broadcast at once (window 0), as the steps below expect.
    const res = await fetch(`${backend.url}/api/streams/${streamId}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${await sessionToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reconnectWindowSeconds: 0 }),
    });
    expect(res.status).toBe(200);
    await nav(page, 'Streams').click();
  });

  it('goes back to Ended when the publisher disconnects and lists the broadcast', { timeout: STEP }, async () => {
    await page.getByRole('link', { name: 'E2E Friday show' }).click();
    await expect.poll(() => page.getByTestId('status-badge').getAttribute('data-status')).toBe('live');
    const closing = await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'closing', publishUrl, publisherPort);
    expect(closing.status).toBe(200);
    ome.live.delete(streamId);
    await expect.poll(() => page.getByTestId('status-badge').getAttribute('data-status'), { timeout: 10_000 }).toBe('ended');
    await page.getByText('The preview appears here when you go live.').waitFor();
    expect(await page.getByTestId('player').count()).toBe(0); // player destroyed on unmount
    const row = page.getByRole('row').filter({ hasText: 'RTMP' });
    await row.first().waitFor();
    expect(await page.getByRole('region', { name: 'Health over time' }).count()).toBe(0); // off air: no live charts
    // The broadcast's charts, from its row in the history: the whole broadcast, with its figures.
    const { sessions } = await apiGet<{ sessions: { id: string }[] }>(`/api/streams/${streamId}/sessions`);
    const series = await apiGet<{ peakViewers: number; viewerMinutes: number; samples: unknown[] }>(`/api/streams/${streamId}/sessions/${sessions[0]!.id}/health`);
    expect(series.peakViewers).toBe(6);
    await row.first().getByRole('button', { name: /^Show charts of the broadcast started/ }).click();
    const past = page.getByTestId('session-health');
    await expect.poll(() => past.getByTestId('peak-viewers').textContent()).toBe('6');
    expect(await past.getByTestId('viewer-minutes').textContent()).toBe(series.viewerMinutes.toLocaleString('en-US', { maximumFractionDigits: 1 }));
    await expect.poll(async () => (await drawnCharts(past)).map((c) => c.drawn > 0 && c.width > 0), { timeout: 5000 }).toEqual([true, true, true]);
    const drawn = await drawnCharts(past);
    // At least every sample (a pause while reconnecting adds a break in the lines).
    expect(drawn.every((c) => c.drawn >= series.samples.length)).toBe(true);
    expect(drawn[0]!.blue).toBeGreaterThan(100);
    expect(drawn[2]!.orange).toBeGreaterThan(100);
    const rowWidth = await past.evaluate((el) => el.clientWidth);
    expect(drawn[0]!.width).toBeGreaterThan(0.4 * rowWidth); // the charts use the row's width
    expect(drawn[1]!.width).toBeGreaterThan(0.4 * rowWidth);
    await past.screenshot({ path: path.join(SHOTS, '08-past-broadcast-charts.png') });
    await shot(page, '08-stream-ended');
    await page.setViewportSize({ width: 390, height: 844 });
    // The broadcasts table scrolls sideways on a phone; the open row's charts fit the screen, one a row.
    await expect.poll(async () => (await drawnCharts(past)).every((c) => c.width > 200 && c.width < 390), { timeout: 5000 }).toBe(true);
    await expect.poll(() => past.evaluate((el) => el.querySelector('.health-charts')!.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
    await past.screenshot({ path: path.join(SHOTS, '08c-past-broadcast-charts-mobile.png') });
    await shot(page, '08c-stream-ended-mobile');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('turns the recording OME wrote into a VOD: the library shows it processing, then ready without a reload', { timeout: STEP }, async () => {
    const { sessions } = await apiGet<{ sessions: { startedAt: string; endedAt: string | null }[] }>(`/api/streams/${streamId}/sessions`);
    expect(sessions).toHaveLength(1);
    const session = sessions[0]!;
    // OME's record map: <vhost>/<app>/<stream>/<start>_<end>.mp4, times inside the broadcast.
    const start = new Date(Date.parse(session.startedAt) + 200);
    const seconds = Math.min(4, Math.floor((Date.parse(session.endedAt!) - 200 - start.getTime()) / 1000));
    expect(seconds).toBeGreaterThanOrEqual(2);
    const finish = new Date(start.getTime() + seconds * 1000);
    const stamp = (d: Date) => d.toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(scratch, 'records', 'default', 'app', streamId);
    const file = path.join(dir, `${stamp(start)}_${stamp(finish)}.mp4`);
    await makeRecording(file, { seconds });
    // Uploads wait until the page has shown "processing" (a 4 s clip is otherwise done in a blink).
    gcsForWorker.hold();
    // The info file is OME's "finished" signal (docs/recording.md Appendix B); written last.
    await writeInfo(path.join(dir, 'info.xml'), [
      {
        transactionId: randomBytes(8).toString('hex'),
        stream: streamId,
        filePath: file,
        sequence: 0,
        recordBytes: statSync(file).size,
        recordTimeMs: seconds * 1000,
        startTime: start,
        finishTime: finish,
      },
    ]);
    type VodJson = { id: string; title: string; status: string; durationMs: number | null; posterUrl: string | null };
    const listed = async () => (await apiGet<{ vods: VodJson[] }>(`/api/vods?streamId=${streamId}`)).vods;
    await expect.poll(async () => (await listed())[0]?.status, { timeout: 20_000, interval: 250 }).toBe('processing');
    const [processing] = await listed();
    vodId = processing!.id;
    vodTitle = processing!.title;

    await nav(page, 'VODs').click();
    await page.getByRole('heading', { name: 'VOD library' }).waitFor();
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const item = page.getByTestId('vod-item');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getAttribute('data-status')).toBe('processing');
    expect(await item.getByTestId('status-badge').getAttribute('data-status')).toBe('processing');
    expect(await item.getByRole('link', { name: vodTitle }).count()).toBe(0); // nothing to play yet
    await shot(page, '08c-vods-processing');

    expect((await listed())[0]!.status).toBe('processing'); // still held back, not done behind the page's back
    gcsForWorker.release();
    // The page refreshes every 10 s while a recording is in progress.
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 25_000, interval: 250 }).toBe('ready');
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    const [ready] = await listed();
    expect(ready!.durationMs).toBeGreaterThan((seconds - 0.5) * 1000);
    expect(ready!.durationMs).toBeLessThan((seconds + 0.5) * 1000);
    await item.getByText(`0:0${Math.round(ready!.durationMs! / 1000)}`).waitFor();
    // The poster is a signed storage URL the browser really loaded.
    const poster = item.getByRole('img', { name: `Poster of ${vodTitle}` });
    expect(await poster.getAttribute('src')).toMatch(new RegExp(`^${gcsForBrowser.url}/${TEST_BUCKET}/vods/${vodId}/poster\\.jpg\\?X-Goog-`));
    await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    await item.getByRole('link', { name: vodTitle }).waitFor();
    expect(gcsForWorker.seen).toContain(`POST /upload/storage/v1/b/${TEST_BUCKET}/o`); // the worker's uploads went through the hold
    await shot(page, '08d-vods-ready');
  });

  it('replays the VOD: one HLS source, the backend playlist route, played from signed segment URLs', { timeout: STEP }, async () => {
    await page.getByTestId('vod-item').getByRole('link', { name: vodTitle }).click();
    await page.getByRole('heading', { name: vodTitle }).waitFor();
    const player = page.getByTestId('player');
    await player.waitFor();
    const sources = JSON.parse((await player.getAttribute('data-sources'))!) as { type: string; file: string }[];
    expect(sources).toHaveLength(1);
    expect(sources[0]!.type).toBe('hls');
    // Each read of the VOD mints a fresh playlist token: compare the route, then the token separately.
    const detail = await apiGet<{ playback: { hls: string } | null }>(`/api/vods/${vodId}`);
    expect(withoutTokens(sources[0]!.file)).toBe(withoutTokens(detail.playback!.hls));
    expect(sources[0]!.file).toMatch(new RegExp(`^/api/vods/${vodId}/playlist\\.m3u8\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    const playlist = await fetch(`${web.url}${sources[0]!.file}`);
    expect(playlist.status).toBe(200);
    const text = await playlist.text();
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text).toContain(`${gcsForBrowser.url}/${TEST_BUCKET}/vods/${vodId}/hls/seg_00000.ts?X-Goog-`);
    // OvenPlayer (hls.js) really plays it: the browser fetched the segments and the clock runs.
    await expect.poll(() => player.getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    const video = page.locator('[data-testid="player"] video').first();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
    expect(gcsForBrowser.seen).toContain(`GET /${TEST_BUCKET}/vods/${vodId}/hls/seg_00000.ts`);
    // The player's first beacon, sent as playback started, counted the view (written with the next batch).
    await expect.poll(async () => (await apiGet<{ vod: { views: number } }>(`/api/vods/${vodId}`)).vod.views, { timeout: 10_000 }).toBe(1);
    await page.getByText(/Duration 0:0\d/).waitFor();
    await shot(page, '08e-vod-replay');
    // Back to the stream page, where the next steps start.
    await page.getByRole('link', { name: 'Stream', exact: true }).click();
    await page.getByRole('heading', { name: 'OBS settings' }).waitFor();
  });

  it('a broadcast recorded as the ABR ladder: the quality menu lists Auto and each rendition, and pinning one makes hls.js play it', { timeout: 2 * STEP }, async () => {
    // A second broadcast (the reconnect window is 0 by now: the closing ends it at once).
    const port = clientPort + 7;
    ome.live.add(streamId);
    expect((await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'opening', publishUrl, port)).body).toMatchObject({ allowed: true });
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'closing', publishUrl, port)).status).toBe(200);
    ome.live.delete(streamId);
    const { sessions } = await apiGet<{ sessions: { startedAt: string; endedAt: string | null }[] }>(`/api/streams/${streamId}/sessions`);
    const session = sessions.find((x) => Date.parse(x.startedAt) > Date.now() - 30_000)!;
    expect(session.endedAt).not.toBeNull();
    // OME's record map: one file per rendition in <stream>/<rendition>/, each with its own info.xml.
    const start = new Date(Date.parse(session.startedAt) + 100);
    const stamp = (d: Date) => d.toISOString().replace(/\D/g, '').slice(0, 14);
    const made = path.join(scratch, 'ladder');
    const { files } = await makeLadder(made, `${stamp(start)}_${stamp(new Date(start.getTime() + 8_000))}.mp4`, { seconds: 8, rungs: [480, 360], copies: ['1080p', '720p'] });
    await new LadderBroadcast(path.join(scratch, 'records'), streamId).publish(files, start);
    type Listed = { id: string; status: string; sessionId: string | null };
    const abr = await expect
      .poll(async () => (await apiGet<{ vods: Listed[] }>(`/api/vods?streamId=${streamId}`)).vods.find((v) => v.id !== vodId && v.status === 'ready')?.id, { timeout: 45_000, interval: 500 })
      .toBeTruthy()
      .then(async () => (await apiGet<{ vods: Listed[] }>(`/api/vods?streamId=${streamId}`)).vods.find((v) => v.id !== vodId)!.id);
    const detail = await apiGet<{ vod: { renditions: { name: string; height: number }[] } }>(`/api/vods/${abr}`);
    expect(detail.vod.renditions.map((r) => [r.name, r.height])).toEqual([['source', 720], ['480p', 480], ['360p', 360]]);

    await page.goto(`/vods/${abr}`);
    const menu = page.getByTestId('quality-menu');
    await menu.waitFor({ timeout: 20_000 }); // once hls.js has read the master playlist
    const select = menu.getByRole('combobox', { name: 'Quality' });
    const options = await select.locator('option').allTextContents();
    expect(options[0]).toMatch(/^Auto/);
    expect(options.slice(1).map((o) => o.split(' · ')[0])).toEqual(['Source (720p)', '480p', '360p']);
    expect(await menu.getAttribute('data-auto')).toBe('true');
    const video = page.locator('[data-testid="player"] video').first();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.3);
    // The audio is its own rendition: hls.js fetched its segments too.
    await expect.poll(() => gcsForBrowser.seen.some((r) => r.includes(`/vods/${abr}/hls/audio_p1_`)), { timeout: 10_000 }).toBe(true);

    // Pin 360p: hls.js switches to that level (the picture is 360 lines) and fetches its segments.
    const label360 = options.find((o) => o.startsWith('360p'))!;
    const seenBefore = gcsForBrowser.seen.length;
    await select.selectOption({ label: label360 });
    expect(await menu.getAttribute('data-auto')).toBe('false');
    await expect.poll(() => gcsForBrowser.seen.slice(seenBefore).some((r) => r.includes(`/vods/${abr}/hls/360p_p1_`)), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoHeight), { timeout: 15_000 }).toBe(360);
    await shot(page, '08f-vod-quality-360p');
    // Back to Auto: hls.js chooses by bandwidth again.
    await select.selectOption('auto');
    expect(await menu.getAttribute('data-auto')).toBe('true');
    await page.getByRole('link', { name: 'Stream', exact: true }).click();
    await page.getByRole('heading', { name: 'OBS settings' }).waitFor();
  });

  it('cuts a clip while watching (in/out from the player), follows it to ready, and downloads its MP4 by its title', { timeout: 90_000 }, async () => {
    await page.goto(`/vods/${vodId}`);
    await page.getByRole('heading', { name: vodTitle }).waitFor();
    const video = page.locator('[data-testid="player"] video').first();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 }).toBeGreaterThan(0);
    // Where the viewer is: the player's position, set here by seeking the video it plays.
    const seekTo = (t: number) =>
      video.evaluate(
        (v: HTMLVideoElement, at: number) =>
          new Promise<void>((resolve) => {
            v.pause();
            v.addEventListener('seeked', () => resolve(), { once: true });
            v.currentTime = at;
          }),
        t,
      );
    await seekTo(0.2);
    await page.getByRole('button', { name: 'Set in' }).click();
    await seekTo(1.8);
    await page.getByRole('button', { name: 'Set out' }).click();
    expect(await page.getByTestId('clip-in').textContent()).toBe('0:00.200');
    expect(await page.getByTestId('clip-out').textContent()).toBe('0:01.800');
    const title = 'E2E clip – café';
    await page.getByLabel('Clip title').fill(title);
    await page.getByRole('button', { name: 'Create clip' }).click();
    const clipItem = page.getByTestId('clip-item');
    await clipItem.getByText('Cutting…').or(clipItem.getByRole('link', { name: title })).waitFor();
    await shot(page, '08h-clip-cutting');
    // The worker cuts it (keyframes every 2 s: 0 to 2 s) and the panel turns it into a link.
    await clipItem.getByRole('link', { name: title }).waitFor({ timeout: 30_000 });
    await clipItem.getByText('0:00.000–0:02.000').waitFor();
    await clipItem.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    const of = page.getByTestId('clip-of');
    await of.getByRole('link', { name: vodTitle }).waitFor();
    expect(await of.textContent()).toContain('0:00.000 to 0:02.000');
    await page.getByTestId('player').waitFor();
    await shot(page, '08i-clip-page');
    // The MP4: prepared by the worker on the first click, then saved by the browser under the title.
    const clipId = new URL(page.url()).pathname.split('/').pop()!;
    const download = page.waitForEvent('download', { timeout: 45_000 });
    await page.getByRole('button', { name: 'Download MP4' }).click();
    await page.getByRole('button', { name: 'Preparing MP4…' }).or(page.getByRole('button', { name: 'Download MP4' })).waitFor();
    const built = async () => (await apiGet<{ vod: { download: { status: string; error: string | null } } }>(`/api/vods/${clipId}`)).vod.download;
    try {
      await expect.poll(async () => (await built()).status, { timeout: 30_000 }).toBe('ready');
    } catch (err) {
      throw new Error(`the MP4 was not built (${JSON.stringify(await built())}):\n${worker.logs().split('\n').slice(-12).join('\n')}`, { cause: err });
    }
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${title}.mp4`);
    const saved = path.join(os.tmpdir(), `e2e-clip-${randomBytes(4).toString('hex')}.mp4`);
    await file.saveAs(saved);
    // An MP4 with its index (moov) before the media (mdat): faststart.
    const bytes = (await import('node:fs/promises')).readFile(saved);
    const buf = await bytes;
    const boxes: string[] = [];
    for (let at = 0; at + 8 <= buf.length && boxes.length < 10; ) {
      const size = buf.readUInt32BE(at);
      boxes.push(buf.toString('latin1', at + 4, at + 8));
      if (size < 8) break;
      at += size;
    }
    expect(boxes[0]).toBe('ftyp');
    expect(boxes.indexOf('moov')).toBeGreaterThan(0);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    await rm(saved, { force: true });
    await page.goto(`/streams/${streamId}`);
    await page.getByRole('heading', { name: 'OBS settings' }).waitFor();
  });

  it('rotates the stream key only after confirmation, and the old key is refused from then on', { timeout: STEP }, async () => {
    const key = page.getByRole('textbox', { name: 'Stream Key' });
    const before = await key.inputValue();
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('alertdialog').waitFor();
    await shot(page, '09-rotate-confirm');
    await page.getByRole('button', { name: 'Yes, rotate key' }).click();
    await page.getByText(/New key created/).waitFor();
    const after = await key.inputValue();
    expect(after).not.toBe(before);
    const server = await page.getByRole('textbox', { name: 'RTMP Server' }).inputValue();
    const old = await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'opening', `${server}/${before}`, clientPort + 1);
    expect(old).toMatchObject({ status: 200, body: { allowed: false } });
  });

  it('makes the stream private: anonymous viewers need the signed watch link', { timeout: STEP }, async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel(/Private/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    const link = page.getByRole('textbox', { name: 'Private watch link' });
    await link.waitFor();
    const signed = await link.inputValue();
    expect(signed).toMatch(new RegExp(`/watch/${streamId}\\?token=.+`));
    // Go live again with the new key so the viewer has something to play.
    const server = await page.getByRole('textbox', { name: 'RTMP Server' }).inputValue();
    const key = await page.getByRole('textbox', { name: 'Stream Key' }).inputValue();
    publishUrl = `${server}/${key}`;
    ome.live.add(streamId);
    ome.down = true; // OME's REST API in trouble: stream health must degrade, not break the page
    expect((await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'opening', publishUrl, clientPort + 2)).body).toEqual(
      expect.objectContaining({ allowed: true }),
    );
    await expect.poll(() => page.getByTestId('status-badge').getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    await page.getByText('Stats unavailable right now.').waitFor();
    // No stats from OME, so no samples for this new broadcast: the charts say so instead of drawing nothing.
    await page.getByRole('region', { name: 'Health over time' }).getByTestId('health-charts-empty').waitFor();

    const viewerContext = await browser.newContext({ baseURL: web.url });
    try {
      const viewer = await viewerContext.newPage();
      watch(viewer, 'viewer');
      await viewer.goto(`/watch/${streamId}`);
      await viewer.getByRole('heading', { name: 'Stream not available' }).waitFor();
      await viewer.goto(new URL(signed).pathname + new URL(signed).search);
      await viewer.getByTestId('player').waitFor();
      const sources = JSON.parse((await viewer.getByTestId('player').getAttribute('data-sources'))!) as { file: string }[];
      const token = new URL(signed).searchParams.get('token')!;
      expect(sources.every((s) => s.file.includes(`token=${token}`))).toBe(true);
      await expect.poll(() => viewer.getByTestId('player').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
      await viewer.waitForTimeout(1000);
      await shot(viewer, '10-watch-private-signed');
    } finally {
      await viewerContext.close();
    }
    await sendRtmpAdmission(backend.url, backend.omeWebhookSecret, 'closing', publishUrl, clientPort + 2);
    ome.live.delete(streamId);
    ome.down = false;
    await expect.poll(() => page.getByTestId('status-badge').getAttribute('data-status'), { timeout: 10_000 }).toBe('ended');
  });

  it('adds an outgoing webhook endpoint (an internal address is refused), shows its secret once, and a test event reaches the receiver', { timeout: STEP }, async () => {
    const received: { type: string; signature: string }[] = [];
    const rx = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ type: (JSON.parse(body) as { type: string }).type, signature: String(req.headers['x-ocp-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    try {
      await nav(page, 'Webhooks').click();
      await page.getByLabel('Endpoint URL').fill('http://169.254.169.254/latest/meta-data/');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.getByText(/must reach a public address: 169\.254\.169\.254 is a link-local address/).waitFor();
      await page.getByLabel('Endpoint URL').fill(`http://127.0.0.1:${(rx.address() as AddressInfo).port}/hooks`);
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
      expect(secret.length).toBeGreaterThan(10);
      const card = page.getByTestId('webhook-endpoint').first();
      await card.waitFor();
      await card.getByRole('button', { name: 'Send test event' }).click();
      await expect.poll(() => received.map((r) => r.type), { timeout: 10_000 }).toEqual(['ping']);
      expect(received[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      await expect.poll(async () => {
        await card.getByRole('button', { name: 'Refresh' }).click();
        return card.getByTestId('webhook-delivery').first().textContent();
      }, { timeout: 10_000 }).toMatch(/ping.*succeeded/);
      await shot(page, '11-webhooks');
      await page.getByRole('button', { name: 'I have saved it' }).click();
      await page.reload();
      await page.getByTestId('webhook-endpoint').first().waitFor();
      expect(await page.getByText(secret).count()).toBe(0);
    } finally {
      await new Promise((r) => rx.close(r));
    }
  });

  it('creates a scoped API key, shows it once, the key works on the API within its scope, and revoking stops it', { timeout: STEP }, async () => {
    await nav(page, 'API keys').click();
    await page.getByLabel('Name').fill('e2e server');
    await page.getByRole('checkbox', { name: /streams:read/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByRole('textbox', { name: 'API key' }).inputValue();
    expect(key).toMatch(/^ocp_[0-9a-f]{32}_[0-9a-f]{48}$/);
    await shot(page, '12-api-key-created');
    const call = (method: string, p: string, body?: unknown) =>
      fetch(`${backend.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const list = await call('GET', '/api/streams');
    expect(list.status).toBe(200);
    expect(JSON.stringify(await list.json())).toContain(streamId);
    const patch = await call('PATCH', `/api/streams/${streamId}`, { name: 'renamed by a key' });
    expect(patch.status).toBe(403);
    expect(((await patch.json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.reload();
    const row = page.getByTestId('api-key').filter({ hasText: 'e2e server' });
    await row.waitFor();
    expect(await page.getByText(key).count()).toBe(0);
    await expect.poll(async () => (await row.textContent()) ?? '').not.toContain('Never'); // last used: the calls above
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText(/^Revoked/).waitFor();
    await shot(page, '12b-api-key-revoked');
    expect((await call('GET', '/api/streams')).status).toBe(401);
  });

  it('lists both logged-in browsers on the Security page; revoking the other sends its next navigation to login', { timeout: STEP }, async () => {
    const otherContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, baseURL: web.url });
    try {
      const other = await otherContext.newPage();
      watch(other, 'other-device');
      await other.goto('/login');
      await other.getByLabel('Email').fill(email);
      await other.getByLabel('Password').fill(password);
      await other.getByRole('button', { name: 'Log in' }).click();
      await other.getByRole('heading', { name: 'Streams', level: 1 }).waitFor();
      const otherToken = await other.evaluate(() => sessionStorage.getItem('ocp.session.token'));

      await nav(page, 'Security').click();
      await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
      const rows = page.getByTestId('auth-session');
      await expect.poll(() => rows.count()).toBe(2);
      const mine = rows.filter({ hasText: 'This device' });
      expect(await mine.count()).toBe(1);
      expect(await rows.first().getAttribute('data-current')).toBe('true'); // this device first
      const theirs = page.locator('[data-testid="auth-session"]:not([data-current])');
      expect(await theirs.textContent()).toContain('127.0.0.1');
      expect(await theirs.getByRole('time').textContent()).toBe('just now');
      // The policy refuses a common new password: its advice lands under the field, nothing changes.
      await page.getByLabel('Current password').fill(password);
      await page.getByLabel('New password', { exact: true }).fill('password123');
      await page.getByLabel('Repeat the new password').fill('password123');
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/auth/password'));
      await page.getByRole('button', { name: 'Change password' }).click();
      expect((await refused).status()).toBe(400);
      await expect.poll(() => page.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await shot(page, '14-security');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '14-security-mobile');
      await page.setViewportSize({ width: 1280, height: 860 });

      await theirs.getByRole('button', { name: 'Revoke' }).click();
      await shot(page, '14b-security-revoke-confirm');
      await page.getByRole('button', { name: 'Yes, revoke' }).click();
      await expect.poll(() => rows.count()).toBe(1);
      await page.getByText('No other sessions').waitFor();
      // The revoked token is refused by the API from now on, and the other browser's next
      // navigation (its first API call) lands on the login page saying why.
      const res = await fetch(`${backend.url}/api/auth/me`, { headers: { Authorization: `Bearer ${otherToken}` } });
      expect(res.status).toBe(401);
      expectingUnauthorized = true;
      await nav(other, 'VODs').click();
      await other.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(new URL(other.url()).pathname).toBe('/login');
      await other.getByText('this session was ended from another device').waitFor();
      await shot(other, '14c-other-device-logged-out');
      // This browser is still logged in: a reload reads the list with its token again.
      await page.reload();
      await page.getByText('This device', { exact: true }).waitFor();
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
      expect(new URL(page.url()).pathname).toBe('/security');
    } finally {
      await otherContext.close();
    }
  });

  it('sends an expired session back to the login page with a message', { timeout: STEP }, async () => {
    // A token the backend rejects (wrong signature) behaves like an expired one: the API answers 401.
    expectingUnauthorized = true;
    await page.evaluate(() => sessionStorage.setItem('ocp.session.token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad'));
    await nav(page, 'Streams').click();
    await page.getByText('Your session expired, please log in again').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot(page, '13-session-expired');
  });

  it('logged no unexpected console errors', () => {
    writeFileSync(path.join(SHOTS, 'console-expected.txt'), `${noise.join('\n')}\n`);
    expect(problems).toEqual([]);
  });
});
