import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeProtocol, parseOmeUrl, withoutToken } from './urls.js';

const dir = path.join(import.meta.dirname, '../../test/fixtures/ome/webhooks');
const captured = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { parsedBody: { request: { url: string; protocol: string } } }).parsedBody.request);

describe('OME URL parsing', () => {
  it('parses every URL OME 0.20 sent', () => {
    for (const r of captured) {
      const u = parseOmeUrl(r.url);
      expect(u, r.url).not.toBeNull();
      expect(u!.app).toBe('app');
      expect(u!.stream).toMatch(/^stream\d$/);
    }
  });

  it('splits scheme, app, stream, file and query', () => {
    const u = parseOmeUrl('http://127.0.0.1:3333/app/stream1/llhls.m3u8?token=xyz&x=1')!;
    expect(u).toMatchObject({ scheme: 'http', authority: '127.0.0.1:3333', app: 'app', stream: 'stream1', file: 'llhls.m3u8' });
    expect(u.query.get('token')).toBe('xyz');
    expect(parseOmeUrl('srt://127.0.0.1:9999/app/stream6?token=srt.tok')!.query.get('token')).toBe('srt.tok');
    expect(parseOmeUrl('ws://127.0.0.1:3333/app/stream5?token=wrtc.play')!.stream).toBe('stream5');
  });

  it('rejects what is not app/stream', () => {
    for (const bad of ['', 'rtmp://host', 'rtmp://host/app', 'no-scheme/app/s', 'rtmp://host/app/%E0%A4%A']) expect(parseOmeUrl(bad), bad).toBeNull();
  });

  it('drops only the token for new_url', () => {
    expect(withoutToken(parseOmeUrl('rtmp://h:1935/app/s1?token=a.b.c')!)).toBe('rtmp://h:1935/app/s1');
    expect(withoutToken(parseOmeUrl('http://h:3333/app/s1?direction=whip&token=t')!)).toBe('http://h:3333/app/s1?direction=whip');
  });

  it('lower-cases the protocols OME reports', () => {
    expect(captured.map((r) => normalizeProtocol(r.protocol)).sort()).toEqual(expect.arrayContaining(['rtmp', 'srt', 'llhls', 'webrtc']));
  });
});
