import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse';

function parseAll(chunks: string[]): SseMessage[] {
  const out: SseMessage[] = [];
  const feed = createSseParser((m) => out.push(m));
  chunks.forEach(feed);
  return out;
}

describe('createSseParser', () => {
  it('parses events split across arbitrary chunks, skipping heartbeat comments', () => {
    const text = ': heartbeat\n\nevent: stream.status\ndata: {"streamId":"a","status":"live"}\n\n: hb\n\nevent: stream.status\ndata: {"streamId":"b","status":"idle"}\n\n';
    const whole = parseAll([text]);
    const split = parseAll(text.split(''));
    expect(whole).toEqual([
      { event: 'stream.status', data: '{"streamId":"a","status":"live"}' },
      { event: 'stream.status', data: '{"streamId":"b","status":"idle"}' },
    ]);
    expect(split).toEqual(whole);
  });

  it('handles CRLF line endings, multi-line data, ids and the default event name', () => {
    expect(parseAll(['id: 7\r\ndata: a\r', '\ndata:b\r\n\r\n'])).toEqual([{ event: 'message', data: 'a\nb', id: '7' }]);
  });

  it('does not dispatch an event before its blank line arrives', () => {
    expect(parseAll(['event: stream.status\ndata: {}\n'])).toEqual([]);
  });
});
