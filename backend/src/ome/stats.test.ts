import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OmeStreamInfoResponse, OmeStreamStatsResponse, toStreamStats } from './stats.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../test/fixtures/ome/rest-api', name), 'utf8'));
const now = new Date('2026-11-22T01:00:00.000Z');
const id = '6f1c1c4e-1f7e-4c1d-9a0e-4c4c1c1c1c1c';

describe('toStreamStats (OME 0.20 responses)', () => {
  const rtmpInfo = OmeStreamInfoResponse.parse(fixture('get-stream-stream1-rtmp.json'));
  const stats = OmeStreamStatsResponse.parse(fixture('get-stats-stream1.json'));

  it('reads input health from the RTMP stream info and viewers from the stats', () => {
    expect(toStreamStats(id, rtmpInfo, stats, now)).toEqual({
      streamId: id,
      live: true,
      // connections: file 1 (the recorder) and nobody watching yet
      viewers: { total: 0, webrtc: 0, llhls: 0 },
      input: {
        // video bitrateLatest 230673 + audio bitrateLatest 131120
        bitrateBps: 361_793,
        fps: 29.97,
        width: 1280,
        height: 720,
        videoCodec: 'H264',
        audioCodec: 'AAC',
      },
      updatedAt: '2026-11-22T00:42:04.303Z',
    });
  });

  it('finds the tracks of an SRT input, where a Data track comes first and ids start at 256', () => {
    const srt = OmeStreamInfoResponse.parse(fixture('get-stream-stream2-srt.json'));
    expect(toStreamStats(id, srt, null, now).input).toEqual({
      bitrateBps: 232_463 + 132_261,
      fps: 29.97,
      width: 1280,
      height: 720,
      videoCodec: 'H264',
      audioCodec: 'AAC',
    });
  });

  it('counts WebRTC and LL-HLS viewers (and other playback), never the recorder, relays or thumbnails', () => {
    const busy = OmeStreamStatsResponse.parse({
      statusCode: 200,
      response: { connections: { file: 1, hlsv3: 2, llhls: 7, ovt: 3, push: 1, srt: 0, thumbnail: 5, webrtc: 11 }, lastUpdatedTime: '2026-11-22T09:42:04.303+09:00' },
    });
    const s = toStreamStats(id, rtmpInfo, busy, now);
    expect(s.viewers).toEqual({ total: 20, webrtc: 11, llhls: 7 });
    expect(s.updatedAt).toBe('2026-11-22T00:42:04.303Z');
  });

  it('is offline with no input and zero viewers when OME has no such stream', () => {
    expect(toStreamStats(id, null, null, now)).toEqual({
      streamId: id, live: false, viewers: { total: 0, webrtc: 0, llhls: 0 }, input: null, updatedAt: now.toISOString(),
    });
  });

  it('uses the average when no recent value is measured yet, and null for what the input lacks', () => {
    const audioOnly = OmeStreamInfoResponse.parse({
      statusCode: 200,
      response: { name: 'x', input: { tracks: [{ type: 'Audio', audio: { codec: 'OPUS', bitrate: 64000, bitrateLatest: 0 } }] } },
    });
    expect(toStreamStats(id, audioOnly, null, now).input).toEqual({
      bitrateBps: 64000, fps: null, width: null, height: null, videoCodec: null, audioCodec: 'OPUS',
    });
  });

  it('rejects a body that is not an OME stream info', () => {
    expect(() => OmeStreamInfoResponse.parse({ message: 'OK' })).toThrow();
  });
});
