// Each step of the VOD pipeline on its own: pure ones with plain values, the media ones on real
// ffmpeg-made files (no database, queue or storage needed).
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from '../media/ffmpeg.js';
import type { UploadResult } from '../storage/gcs.js';
import { vodObjectLayout } from '../storage/objects.js';
import { makeRecording } from '../../test/support/media.js';
import {
  checkSource, finishRemux, parsePayload, planOrder, probeSource, readyDetails, remuxFailure, remuxSource, uploadPlan, verifyStored, withWorkDir,
  type RemuxOutput,
} from './vod-upload-steps.js';

const tools = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', hlsSegmentSeconds: 2 };
const log = pino({ level: 'silent' });
let dir: string;
let clip: string;

beforeAll(async () => {
  dir = await import('node:fs/promises').then((fs) => fs.mkdtemp(path.join(os.tmpdir(), 'ocp-steps-')));
  clip = await makeRecording(path.join(dir, 'clip.mp4'), { seconds: 4 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const layout = vodObjectLayout('vods/', 'v1', 'mp4');
const output = (segments: string[], posterPath: string | null = '/w/poster.jpg'): RemuxOutput => ({
  hls: { dir: '/w/hls', playlist: '/w/hls/index.m3u8', segments },
  posterPath,
});
const stored = (objectName: string, over: Partial<UploadResult> = {}): UploadResult =>
  ({ objectName, size: 10, crc32c: 'AAAAAA==', md5Hash: null, skipped: false, resumable: false, ...over }) as UploadResult;

describe('parsePayload', () => {
  it('names every bad field and is final', () => {
    const err = (() => {
      try {
        parsePayload({ recordingId: '', sequence: -1 });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(err!.message).toMatch(/^invalid job payload: .*recordingId.*sequence/);
  });
});

describe('locate: checkSource', () => {
  it('accepts a readable non-empty file and reports its size', async () => {
    await expect(checkSource({ kind: 'file', path: clip }, clip)).resolves.toEqual({ path: clip, size: (await stat(clip)).size });
  });
  it('fails for good, with the reason, when the file is missing, not a file or empty', async () => {
    await expect(checkSource({ kind: 'missing' }, '/rec/a.mp4')).rejects.toThrow(new UnrecoverableError('recording file missing: /rec/a.mp4 was removed before it was processed'));
    await expect(checkSource({ kind: 'not_a_file', path: dir }, dir)).rejects.toThrow(/^unreadable recording: .* is not a regular file$/);
    const empty = path.join(dir, 'empty.mp4');
    await writeFile(empty, '');
    await expect(checkSource({ kind: 'file', path: empty }, empty)).rejects.toThrow(new UnrecoverableError('corrupt recording: empty.mp4 is empty'));
    // Vanished between discovery and the check.
    await expect(checkSource({ kind: 'file', path: path.join(dir, 'gone.mp4') }, 'x')).rejects.toBeInstanceOf(UnrecoverableError);
  });
});

describe('probe: probeSource', () => {
  it('reads duration and tracks of a real recording', async () => {
    const m = await probeSource(tools, clip);
    expect(m.durationMs).toBeGreaterThan(3_800);
    expect(m.durationMs).toBeLessThan(4_300);
    expect(m.renditions.map((r) => r.type).sort()).toEqual(['audio', 'video']);
  });
  it('turns unreadable media into a final "corrupt recording" error', async () => {
    const junk = path.join(dir, 'junk.mp4');
    await writeFile(junk, Buffer.alloc(5000, 7));
    await expect(probeSource(tools, junk)).rejects.toThrow(/^corrupt recording: ffprobe failed/);
    await expect(probeSource(tools, junk)).rejects.toBeInstanceOf(UnrecoverableError);
  });
});

describe('remux', () => {
  it('writes an HLS VOD and a poster in the work directory, which is removed afterwards', async () => {
    let seen = '';
    const out = await withWorkDir(path.join(dir, 'work'), 'vod-a', async (work) => {
      seen = work;
      const hls = await remuxSource(tools, clip, work, 2);
      const media = await probeSource(tools, clip);
      return finishRemux(tools, hls, { path: clip, media }, work, log);
    });
    expect(out.hls.segments.length).toBeGreaterThanOrEqual(2);
    expect(out.posterPath).toBe(path.join(seen, 'poster.jpg'));
    await expect(stat(seen)).rejects.toThrow();
  });
  it('removes the work directory when the step throws', async () => {
    let seen = '';
    await expect(withWorkDir(path.join(dir, 'work'), 'vod-b', async (work) => {
      seen = work;
      await mkdir(path.join(work, 'hls'));
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await readdir(path.join(dir, 'work'))).not.toContain(path.basename(seen));
  });
  it('maps bad media to a final error and keeps other errors retryable', async () => {
    const work = path.join(dir, 'w');
    await mkdir(work, { recursive: true });
    const bad = await remuxFailure(work, new MediaError('ffmpeg failed (exit code 1): moov atom not found'));
    expect(bad).toBeInstanceOf(UnrecoverableError);
    expect(bad.message).toBe('corrupt recording: HLS remux failed: ffmpeg failed (exit code 1): moov atom not found');
    const io = await remuxFailure(work, new Error('EIO'));
    expect(io).not.toBeInstanceOf(UnrecoverableError);
    const full = await remuxFailure(work, Object.assign(new Error('write failed'), { code: 'ENOSPC' }));
    expect(full.message).toMatch(/^no space left on device in the work directory/);
    expect(full).not.toBeInstanceOf(UnrecoverableError);
  });
});

describe('upload plan and verify (pure)', () => {
  const plan = uploadPlan(layout, [{ localPath: '/rec/a.mp4', objectName: layout.original }], output(['/w/hls/seg_00000.ts', '/w/hls/seg_00001.ts']));

  it('stores originals, then segments, then the poster, and the playlist last', () => {
    expect(planOrder(plan).map((o) => o.objectName)).toEqual([
      'vods/v1/original.mp4', 'vods/v1/hls/seg_00000.ts', 'vods/v1/hls/seg_00001.ts', 'vods/v1/poster.jpg', 'vods/v1/hls/index.m3u8',
    ]);
    expect(uploadPlan(layout, [], output(['/w/hls/s.ts'], null)).poster).toBeNull();
  });

  it('verifies that exactly the planned objects were stored with checksums, and counts them', () => {
    const all = planOrder(plan).map((o, i) => stored(o.objectName, { size: 100 + i, skipped: i === 1 }));
    expect(verifyStored(plan, all)).toEqual({ uploadedBytes: 100 + 102 + 103 + 104, skippedObjects: 1 });
    // The playlist not last, an object missing, a checksum missing: never ready.
    expect(() => verifyStored(plan, [...all.slice(0, 3), all[4]!, all[3]!])).toThrow(/differ from the plan/);
    expect(() => verifyStored(plan, all.slice(1))).toThrow(/differ from the plan/);
    expect(() => verifyStored(plan, all.map((r, i) => (i === 2 ? { ...r, crc32c: '' } : r)))).toThrow(/without a verified checksum: vods\/v1\/hls\/seg_00001.ts/);
  });
});

describe('record: readyDetails (pure)', () => {
  it('describes the stored Vod', () => {
    const d = readyDetails({
      media: { formatName: 'mov,mp4', bitrateBps: 1000, renditions: [{ type: 'video', codec: 'h264' }] },
      durationMs: 6000,
      sizeBytes: 1234,
      out: output(['/w/hls/a.ts', '/w/hls/b.ts'], null),
      layout,
      segmentSeconds: 6,
      originalObject: layout.original,
      storageBytes: 4321,
    });
    expect(d).toEqual({
      durationMs: 6000,
      sizeBytes: 1234,
      renditions: { format: 'mov,mp4', bitrateBps: 1000, tracks: [{ type: 'video', codec: 'h264' }], hls: { segments: 2, targetDurationSeconds: 6 } },
      objectPrefix: 'vods/v1/',
      playlistObject: 'vods/v1/hls/index.m3u8',
      posterObject: null,
      originalObject: 'vods/v1/original.mp4',
      storageBytes: 4321,
    });
  });
});
