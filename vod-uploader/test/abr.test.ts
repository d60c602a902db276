// ABR VODs on real parts: recordings made by ffmpeg the way OME's record map leaves them (one file
// per ladder rendition in <stream>/<rendition>/, each with its own info file, the stream's own
// timestamps in every file), PostgreSQL, Redis and the GCS test server. The stored master playlist
// is checked field by field against what the stored segments really hold.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '@ocp/backend/db';
import { startVodService, type VodService } from '../src/app.js';
import { sessionVodKey } from '../src/vods/pieces.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import { TEST_BUCKET, createSession, createStream, endSession, recordingEvents, tempDir, testConfig, uniquePrefix, waitFor, waitForPieces } from './support/harness.js';
import { LadderBroadcast, makeLadder } from './support/media.js';

const run = promisify(execFile);
const SEGMENT_S = 2;

let gcs: GcsTestServer;
let db: Db;
let root: string;
let service: VodService | null = null;
/** One publish of a 1280x720 source: the 1080p and 720p rungs are pass-through copies of it. */
let ladder: Map<string, string>;
/** A second publish at 640x360 (a creator who lowered the resolution after a reconnect). */
let small: Map<string, string>;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
  db = createDb(inject('databaseUrl'));
  root = await tempDir('abr');
  [ladder, small] = await Promise.all([
    makeLadder(path.join(root, 'media', 'a'), '20261204100000_20261204100008.mp4', { seconds: 8, rungs: [480, 360], copies: ['1080p', '720p'], startOffsetS: 5 }).then((l) => l.files),
    makeLadder(path.join(root, 'media', 'b'), '20261204100020_20261204100025.mp4', { seconds: 5, size: '640x360', rungs: [], copies: ['1080p', '720p', '480p', '360p'], startOffsetS: 40 }).then((l) => l.files),
  ]);
}, 180_000);

afterAll(async () => {
  await gcs?.stop();
  await db?.$disconnect();
  if (root) await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  await service?.stop();
  service = null;
});

async function start(extra: Record<string, string> = {}) {
  const recordingsDir = path.join(root, `rec-${randomBytes(4).toString('hex')}`);
  await mkdir(recordingsDir, { recursive: true });
  service = await startVodService(testConfig({
    databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix: uniquePrefix(inject('redisPrefix')), gcsUrl: gcs.url,
    recordingsDir, workDir: path.join(root, 'work'), extra: { VOD_HLS_SEGMENT_SECONDS: String(SEGMENT_S), ...extra },
  }), { events: recordingEvents(), db });
  return recordingsDir;
}


function attrs(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.slice(line.indexOf(':') + 1).matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) out[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  return out;
}

interface Variant {
  attrs: Record<string, string>;
  uri: string;
}

function parseMaster(text: string): { variants: Variant[]; media: Record<string, string>[] } {
  const lines = text.split('\n');
  const variants: Variant[] = [];
  lines.forEach((l, i) => {
    if (l.startsWith('#EXT-X-STREAM-INF:')) variants.push({ attrs: attrs(l), uri: lines[i + 1]!.trim() });
  });
  return { variants, media: lines.filter((l) => l.startsWith('#EXT-X-MEDIA:')).map(attrs) };
}

function parseMedia(text: string): { pieces: { durationS: number; uri: string }[][]; target: number } {
  const pieces: { durationS: number; uri: string }[][] = [[]];
  let pending: number | null = null;
  let target = 0;
  for (const l of text.split('\n').map((x) => x.trim())) {
    if (l.startsWith('#EXT-X-TARGETDURATION:')) target = Number(l.slice(22));
    else if (l === '#EXT-X-DISCONTINUITY') pieces.push([]);
    else if (l.startsWith('#EXTINF:')) pending = Number.parseFloat(l.slice(8));
    else if (l && !l.startsWith('#')) {
      pieces[pieces.length - 1]!.push({ durationS: pending!, uri: l });
      pending = null;
    }
  }
  return { pieces, target };
}

const stored = (name: string) => gcs.get(TEST_BUCKET, name);
const storedText = (name: string) => readFile(stored(name)!.file, 'utf8');

/** Copies a Vod's objects into a folder by object name, so ffmpeg can read its playlists locally. */
async function download(prefix: string): Promise<string> {
  const dir = path.join(root, `dl-${randomBytes(4).toString('hex')}`);
  for (const o of gcs.list(TEST_BUCKET, prefix)) {
    const target = path.join(dir, o.name.slice(prefix.length));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(o.file, target);
  }
  return dir;
}

async function firstPts(file: string, stream: 'v' | 'a'): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', `${stream}:0`, '-show_entries', 'packet=pts_time', '-read_intervals', '%+#1', '-of', 'csv=p=0', file]);
  return Number.parseFloat(stdout.trim().split('\n')[0]!);
}

async function probeStream(file: string) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file]);
  return JSON.parse(stdout).streams as { codec_type: string; codec_name: string; profile: string; level: number; width?: number; height?: number; avg_frame_rate: string }[];
}

/** RFC 6381 string from what ffprobe reads out of the segment (x264 High/Main/Constrained Baseline). */
function expectedAvc(s: { profile: string; level: number }): string {
  const p = { High: '6400', Main: '4D40', 'Constrained Baseline': '42C0', Baseline: '4200' }[s.profile];
  return `avc1.${p}${s.level.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Decodes every frame of a playlist; returns the frame count ffmpeg reports (errors fail the test). */
async function decodeFrames(playlist: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-nostdin', '-v', 'error', '-stats', '-i', playlist, '-map', '0:v:0?', '-map', '0:a:0?', '-f', 'null', '-'], { timeout: 120_000 });
  const frames = [...stderr.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1]));
  // -stats progress lines aside, ffmpeg said nothing: no decode error.
  expect(stderr.split(/[\r\n]+/).filter((l) => l.trim() && !/time=/.test(l))).toEqual([]);
  return frames.at(-1) ?? 0;
}

/** The session's Vod once it is ready or failed; expected `status` (a failure shows its error). */
async function waitForSessionVod(sessionId: string, status: 'ready' | 'failed', timeoutMs = 90_000) {
  const v = await waitFor(`session ${sessionId} Vod ${status}`, async () => {
    const row = await db.vod.findUnique({ where: { recordingId: sessionVodKey(sessionId) } });
    return row?.status === 'ready' || row?.status === 'failed' ? row : null;
  }, timeoutMs, 200);
  expect({ status: v.status, error: v.error }).toEqual({ status, error: status === 'ready' ? null : expect.any(String) });
  return v;
}

/** A session with one or more publishes recorded as the ladder, ended once every file is registered. */
async function broadcast(recordingsDir: string, publishes: { files: Map<string, string>; skip?: string[]; atS: number }[]) {
  const { stream } = await createStream(db, { name: 'ABR show' });
  const t0 = new Date(Date.now() - 120_000);
  const session = await createSession(db, stream.id, t0);
  const b = new LadderBroadcast(recordingsDir, stream.id);
  let n = 0;
  for (const p of publishes) {
    await b.publish(p.files, new Date(t0.getTime() + p.atS * 1000), p.skip);
    n += [...p.files.keys()].filter((k) => !(p.skip ?? []).includes(k)).length;
  }
  await waitForPieces(db, session.id, n);
  await endSession(db, session.id);
  return { stream, session, vod: await waitForSessionVod(session.id, 'ready') };
}

/** Each variant's EXTINF sequence, per publish, from the stored playlists; the master's variants. */
async function storedLadder(prefix: string) {
  const master = parseMaster(await storedText(`${prefix}hls/master.m3u8`));
  const lists = new Map<string, { durationS: number; uri: string }[][]>();
  for (const v of master.variants) lists.set(v.uri, parseMedia(await storedText(`${prefix}hls/${v.uri}`)).pieces);
  const audio = master.media.length ? parseMedia(await storedText(`${prefix}hls/audio.m3u8`)).pieces : null;
  return { master, lists, audio };
}

/** Segment i starts at the same PTS in every video variant (within 2 ms). */
async function expectAligned(prefix: string, lists: { durationS: number; uri: string }[][]) {
  const durations = lists.map((l) => l.map((s) => s.durationS.toFixed(6)));
  for (const d of durations) expect(d).toEqual(durations[0]);
  for (let i = 0; i < lists[0]!.length; i++) {
    const starts = await Promise.all(lists.map((l) => firstPts(stored(`${prefix}hls/${l[i]!.uri}`)!.file, 'v')));
    for (const st of starts) expect(Math.abs(st - starts[0]!), `segment ${i}`).toBeLessThan(0.002);
  }
}

describe('a broadcast recorded as the ABR ladder', () => {
  it('becomes one multi-variant HLS VOD: master playlist field by field, aligned segments, audio once, every variant decodes', async () => {
    const recordingsDir = await start();
    const { stream } = await createStream(db, { name: 'ABR show' });
    const t0 = new Date(Date.now() - 60_000);
    const session = await createSession(db, stream.id, t0);
    const b = new LadderBroadcast(recordingsDir, stream.id);
    await b.publish(ladder, new Date(t0.getTime() + 1_000));
    // OME lists the files as the stream ends; the backend ends the session (settle: 1 s in tests).
    await waitForPieces(db, session.id, 5);
    await endSession(db, session.id);

    const vod = await waitForSessionVod(session.id, 'ready');
    const prefix = vod.objectPrefix!;
    expect(vod.playlistObject).toBe(`${prefix}hls/master.m3u8`);
    expect(await db.vod.count({ where: { streamId: stream.id } })).toBe(1);
    // Every file of the publish is a joined piece of the one Vod, the pass-through copies included.
    expect((await db.vodPiece.findMany({ where: { sessionId: session.id } })).map((p) => [p.rendition, p.status]).sort()).toEqual(
      [['1080p', 'joined'], ['360p', 'joined'], ['480p', 'joined'], ['720p', 'joined'], ['source', 'joined']],
    );

    const master = parseMaster(await storedText(vod.playlistObject!));
    // The 1080p and 720p files are the source passed through (same picture): stored once, as "source".
    expect(master.variants.map((v) => v.uri)).toEqual(['source.m3u8', '480p.m3u8', '360p.m3u8']);
    expect(master.media).toEqual([{ TYPE: 'AUDIO', 'GROUP-ID': 'audio', NAME: 'default', DEFAULT: 'YES', AUTOSELECT: 'YES', CHANNELS: '1', URI: 'audio.m3u8' }]);

    const audio = parseMedia(await storedText(`${prefix}hls/audio.m3u8`));
    const audioSegs = audio.pieces.flat();
    const videoLists: { durationS: number; uri: string }[][] = [];
    const heights: Record<string, number> = { 'source.m3u8': 720, '480p.m3u8': 480, '360p.m3u8': 360 };
    for (const v of master.variants) {
      const media = parseMedia(await storedText(`${prefix}hls/${v.uri}`));
      const segs = media.pieces.flat();
      videoLists.push(segs);
      expect(media.pieces).toHaveLength(1); // one publish: no discontinuity
      // The numbers the master carries, recomputed from the stored segments.
      let peak = 0;
      let bits = 0;
      let seconds = 0;
      segs.forEach((s, i) => {
        const b = (stored(`${prefix}hls/${s.uri}`)!.size + stored(`${prefix}hls/${audioSegs[i]!.uri}`)!.size) * 8;
        peak = Math.max(peak, b / s.durationS);
        bits += b;
        seconds += s.durationS;
      });
      expect(Number(v.attrs.BANDWIDTH), v.uri).toBe(Math.ceil(peak));
      expect(Number(v.attrs['AVERAGE-BANDWIDTH']), v.uri).toBeCloseTo(bits / seconds, -3);
      expect(Number(v.attrs['AVERAGE-BANDWIDTH'])).toBeLessThanOrEqual(Number(v.attrs.BANDWIDTH));
      const [vs] = await probeStream(stored(`${prefix}hls/${segs[1]!.uri}`)!.file);
      expect(vs!.codec_type).toBe('video'); // video only: the audio is in its own rendition
      expect(v.attrs.RESOLUTION, v.uri).toBe(`${vs!.width}x${vs!.height}`);
      expect(vs!.height).toBe(heights[v.uri]);
      expect(v.attrs.CODECS, v.uri).toBe(`${expectedAvc(vs!)},mp4a.40.2`);
      expect(v.attrs['FRAME-RATE']).toBe('30.000');
      expect(v.attrs.AUDIO).toBe('audio');
      expect(media.target).toBeGreaterThanOrEqual(Math.max(...segs.map((s) => Math.round(s.durationS))));
    }
    expect(Number(master.variants[0]!.attrs.BANDWIDTH)).toBeGreaterThan(Number(master.variants[2]!.attrs.BANDWIDTH));

    // Aligned: the same EXTINF sequence in every video variant, and each segment starts at the same PTS.
    const durations = videoLists.map((l) => l.map((s) => s.durationS.toFixed(6)));
    expect(durations[1]).toEqual(durations[0]);
    expect(durations[2]).toEqual(durations[0]);
    expect(durations[0]!.length).toBeGreaterThanOrEqual(3);
    for (const s of videoLists[0]!.slice(0, -1)) expect(Number(s.durationS)).toBeCloseTo(SEGMENT_S, 1);
    for (let i = 0; i < videoLists[0]!.length; i++) {
      const starts = await Promise.all(videoLists.map((l) => firstPts(stored(`${prefix}hls/${l[i]!.uri}`)!.file, 'v')));
      for (const s of starts) expect(Math.abs(s - starts[0]!), `segment ${i}`).toBeLessThan(0.002);
      // The audio of the same index starts within one AAC frame (21 ms at 48 kHz).
      if (i > 0) expect(Math.abs((await firstPts(stored(`${prefix}hls/${audioSegs[i]!.uri}`)!.file, 'a')) - starts[0]!)).toBeLessThan(0.025);
    }
    expect(audioSegs).toHaveLength(videoLists[0]!.length);

    // Every variant (with the audio group) decodes from the stored objects, frame count as recorded.
    const local = await download(prefix);
    for (const v of master.variants) expect(await decodeFrames(path.join(local, 'hls', v.uri)), v.uri).toBeGreaterThanOrEqual(8 * 30 - 2);
    expect(await decodeFrames(path.join(local, 'hls', 'audio.m3u8'))).toBe(0);

    // The row: duration of the publish, the variants as the API lists them, storage over all objects.
    expect(vod.durationMs!).toBeGreaterThan(7_500);
    expect(vod.durationMs!).toBeLessThan(8_300);
    const renditions = vod.renditions as { layout: string; variants: { name: string; width: number; height: number; bandwidth: number; codecs: string; frameRate: number }[]; audio: { codecs: string } };
    expect(renditions.layout).toBe('abr');
    expect(renditions.variants.map((v) => [v.name, v.width, v.height, v.frameRate])).toEqual([['source', 1280, 720, 30], ['480p', 854, 480, 30], ['360p', 640, 360, 30]]);
    expect(renditions.variants.map((v) => v.bandwidth)).toEqual(master.variants.map((v) => Number(v.attrs.BANDWIDTH)));
    expect(renditions.audio.codecs).toBe('mp4a.40.2');
    const objects = gcs.list(TEST_BUCKET, prefix);
    expect(Number(vod.storageBytes)).toBe(objects.reduce((a, o) => a + o.size, 0));
    // Originals: the source recording only (the rungs are in the segments); no segment of a pass-through copy.
    expect(objects.map((o) => o.name.slice(prefix.length)).filter((n) => !n.startsWith('hls/'))).toEqual(['original.mp4', 'poster.jpg']);
    expect(objects.some((o) => /hls\/(1080p|720p)_/.test(o.name))).toBe(false);
  }, 180_000);

  it('encodes a rung OME did not record from the source, its keyframes at the common cuts (still aligned)', async () => {
    const recordingsDir = await start();
    const { vod } = await broadcast(recordingsDir, [{ files: ladder, skip: ['480p'], atS: 1 }]);
    const prefix = vod.objectPrefix!;
    const { master, lists } = await storedLadder(prefix);
    expect(master.variants.map((v) => v.uri)).toEqual(['source.m3u8', '480p.m3u8', '360p.m3u8']);
    await expectAligned(prefix, [...lists.values()].map((p) => p.flat()));
    const renditions = vod.renditions as { variants: { name: string; height: number; transcoded: string | null }[] };
    expect(renditions.variants.map((v) => [v.name, v.height, v.transcoded])).toEqual([['source', 720, null], ['480p', 480, 'not recorded'], ['360p', 360, null]]);
    const local = await download(prefix);
    expect(await decodeFrames(path.join(local, 'hls', '480p.m3u8'))).toBeGreaterThanOrEqual(8 * 30 - 2);
  }, 180_000);

  it('re-encodes a source whose keyframes do not line up with the rungs (every 2.5 s), keyframes at the rungs\' cuts', async () => {
    const recordingsDir = await start();
    const odd = (await makeLadder(path.join(root, 'media', 'odd'), '20261204110000_20261204110008.mp4', { seconds: 8, rungs: [480, 360], sourceGop: 75, startOffsetS: 12 })).files;
    const { vod } = await broadcast(recordingsDir, [{ files: odd, atS: 1 }]);
    const prefix = vod.objectPrefix!;
    const { lists } = await storedLadder(prefix);
    const flat = [...lists.values()].map((p) => p.flat());
    await expectAligned(prefix, flat);
    // Segments follow the rungs' 1 s keyframes (2 s target), not the few instants all three share (every 5 s).
    for (const seg of flat[0]!.slice(0, -1)) expect(seg.durationS).toBeCloseTo(2, 1);
    const renditions = vod.renditions as { variants: { name: string; transcoded: string | null }[] };
    expect(renditions.variants.find((v) => v.name === 'source')!.transcoded).toMatch(/^keyframes off the common cuts/);
    expect(renditions.variants.filter((v) => v.transcoded).map((v) => v.name)).toEqual(['source']);
  }, 180_000);

  it('two publishes (the second at 640x360): one VOD, a discontinuity between them in every playlist, the smaller publish standing in for the rungs it lacks', async () => {
    const recordingsDir = await start();
    const { vod } = await broadcast(recordingsDir, [{ files: ladder, atS: 1 }, { files: small, atS: 30 }]);
    const prefix = vod.objectPrefix!;
    const { master, lists, audio } = await storedLadder(prefix);
    expect(master.variants.map((v) => [v.uri, v.attrs.RESOLUTION])).toEqual([['source.m3u8', '1280x720'], ['480p.m3u8', '854x480'], ['360p.m3u8', '640x360']]);
    for (const [uri, pieces] of lists) expect(pieces, uri).toHaveLength(2);
    expect(audio).toHaveLength(2);
    // Publish 2 has only its source (360p): every variant plays it there, stored once.
    const second = [...lists.values()].map((p) => p[1]!.map((s) => s.uri));
    expect(second[1]).toEqual(second[0]);
    expect(second[2]).toEqual(second[0]);
    for (const p of [0, 1]) await expectAligned(prefix, [...lists.values()].map((l) => l[p]!));
    const total = [...lists.values()][0]!.flat().reduce((a, s) => a + s.durationS, 0);
    expect(total).toBeGreaterThan(12.5);
    expect(total).toBeLessThan(13.3);
    expect(Math.abs(vod.durationMs! - total * 1000)).toBeLessThan(300);
    const local = await download(prefix);
    for (const v of master.variants) expect(await decodeFrames(path.join(local, 'hls', v.uri)), v.uri).toBeGreaterThanOrEqual(13 * 30 - 4);
    const rows = (vod.renditions as { pieces: unknown[]; discontinuities: number }).pieces;
    expect(rows).toHaveLength(2);
    expect(gcs.list(TEST_BUCKET, prefix).map((o) => o.name.slice(prefix.length)).filter((n) => n.startsWith('original'))).toEqual(['original-1.mp4', 'original-2.mp4']);
  }, 180_000);

  it('an audio-only broadcast: a master with its audio as the one variant', async () => {
    const recordingsDir = await start();
    const dir = path.join(root, 'media', 'audio-only', 'source');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, '20261204120000_20261204120006.mp4');
    await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000:duration=6', '-c:a', 'aac', '-b:a', '96k', '-output_ts_offset', '3', file]);
    const { vod } = await broadcast(recordingsDir, [{ files: new Map([['source', file]]), atS: 1 }]);
    const { master, lists } = await storedLadder(vod.objectPrefix!);
    expect(master.media).toEqual([]);
    expect(master.variants).toHaveLength(1);
    expect(master.variants[0]!.uri).toBe('audio.m3u8');
    expect(master.variants[0]!.attrs.CODECS).toBe('mp4a.40.2');
    expect(master.variants[0]!.attrs.RESOLUTION).toBeUndefined();
    expect(lists.get('audio.m3u8')!.flat().length).toBe(3);
    expect((vod.renditions as { variants: unknown[] }).variants).toEqual([expect.objectContaining({ name: 'audio', width: null, height: null, codecs: 'mp4a.40.2' })]);
    expect(vod.posterObject).toBeNull();
  }, 120_000);

  it('without a session: the source file alone makes a single-rendition Vod (its duration, not its timestamps), the rungs are kept', async () => {
    const recordingsDir = await start();
    const { stream } = await createStream(db, { name: 'No session' });
    const b = new LadderBroadcast(recordingsDir, stream.id);
    await b.publish(ladder, new Date(Date.now() - 30_000), ['1080p', '720p']);
    const source = b.entries.get('source')![0]!;
    const vod = await waitFor('the source Vod', async () => {
      const v = await db.vod.findUnique({ where: { recordingId: `${source.transactionId}-0` } });
      return v?.status === 'ready' || v?.status === 'failed' ? v : null;
    }, 60_000);
    expect(vod.error).toBeNull();
    expect(vod.playlistObject).toBe(`${vod.objectPrefix}hls/index.m3u8`);
    // The file's timestamps start at 5 s: an MP4 then reports 5 s more as its duration.
    expect(vod.durationMs!).toBeGreaterThan(7_500);
    expect(vod.durationMs!).toBeLessThan(8_300);
    expect(await db.vod.count({ where: { streamId: stream.id } })).toBe(1);
    for (const name of ['480p', '360p']) {
      const e = b.entries.get(name)![0]!;
      expect(await db.vod.findUnique({ where: { recordingId: `${e.transactionId}-0` } })).toBeNull();
      expect((await stat(e.filePath)).size).toBeGreaterThan(0); // kept
    }
  }, 120_000);
});

