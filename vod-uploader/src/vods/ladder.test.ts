import { describe, expect, it } from 'vitest';
import { alignVariants, DEFAULT_LADDER, groupPublishes, parseLadder, planRungs, renditionOfPath } from './ladder.js';

const ladder = parseLadder(DEFAULT_LADDER);
const shape = (width: number, height: number, codec = 'h264') => ({ codec, width, height });

describe('ladder (pure)', () => {
  it('parses VOD_LADDER, tallest first, and refuses bad or reserved names', () => {
    expect(ladder.map((r) => r.name)).toEqual(['1080p', '720p', '480p', '360p']);
    expect(ladder[0]).toEqual({ name: '1080p', height: 1080, bitrateBps: 4_500_000 });
    expect(() => parseLadder('720p:720')).toThrow(/<name>:<height>:<bitrate bps>/);
    expect(() => parseLadder('a:720:1000000,a:480:500000')).toThrow(/unique/);
    expect(() => parseLadder('source:720:1000000')).toThrow(/recorded source/);
    expect(() => parseLadder('audio:720:1000000')).toThrow(/reserved/);
  });

  it('reads the rendition from the record map layout <stream>/<rendition>/<file>; the old layout has none', () => {
    expect(renditionOfPath('/var/lib/ome/records/default/app/s1/720p/20261122004157_20261122004226.mp4', 's1')).toBe('720p');
    expect(renditionOfPath('/var/lib/ome/records/default/app/s1/20261122004157_20261122004226.mp4', 's1')).toBeNull();
    expect(renditionOfPath('/var/lib/ome/records/api/s1/api_1_2.mp4', 's1')).toBeNull();
    expect(renditionOfPath('/x/s1/audio/a.mp4', 's1')).toBeNull();
    expect(renditionOfPath('/x/s1/bad name/a.mp4', 's1')).toBeNull();
  });

  it('per publish: rungs OME recorded are used, pass-through copies are not stored twice, missing ones encoded', () => {
    const files = new Map([['1080p', shape(1280, 720)], ['720p', shape(1280, 720)], ['480p', shape(854, 480)]]);
    expect(planRungs(ladder, shape(1280, 720), files, true)).toEqual([
      { name: '1080p', action: 'same_as_source' },
      { name: '720p', action: 'same_as_source' },
      { name: '480p', action: 'use' },
      { name: '360p', action: 'transcode', height: 360, bitrateBps: 600_000, reason: 'not recorded' },
    ]);
    expect(planRungs(ladder, shape(1280, 720), new Map([['480p', null]]), false).find((r) => r.name === '480p')).toEqual({ name: '480p', action: 'skip', reason: 'recorded file has no video' });
    // A 360p source: every rung would be the source itself.
    expect(planRungs(ladder, shape(640, 360), new Map(), true).every((r) => r.action === 'same_as_source')).toBe(true);
    // An extra Record an operator added (240p) is used like a rung.
    expect(planRungs(ladder, shape(1280, 720), new Map([['240p', shape(426, 240)]]), false).at(-1)).toEqual({ name: '240p', action: 'use' });
  });

  it('groups the files of each publish: close starts, one file per rendition per publish', () => {
    const t = (s: number) => new Date(Date.UTC(2026, 11, 4, 10, 0, s));
    const p = (id: string, rendition: string | null, s: number) => ({ id, rendition, startedAt: t(s), createdAt: t(s) });
    const groups = groupPublishes([p('a', 'source', 0), p('b', '720p', 1), p('c', 'source', 4), p('d', '720p', 4), p('e', '480p', 0), p('f', null, 60)], 10_000);
    expect(groups.map((g) => g.map((x) => x.id).sort())).toEqual([['a', 'b', 'e'], ['c', 'd'], ['f']]);
  });

  it('one set of variants over publishes: a publish without a variant plays its nearest one', () => {
    const v = (height: number) => ({ height, segments: [] });
    const { names, pick } = alignVariants([new Map([['source', v(720)], ['480p', v(480)], ['360p', v(360)]]), new Map([['source', v(360)]])]);
    expect(names).toEqual(['source', '480p', '360p']);
    expect(pick('480p', 0)).toBe('480p');
    expect(pick('480p', 1)).toBe('source');
  });
});
