import { describe, expect, it } from 'vitest';
import { PageQuery, SearchParam, containsText, decodeCursor, encodeCursor, toPage } from './pagination.js';

const id = '0b6f4c1e-8d3a-4c55-9a57-2f1e0d9c7b21';

describe('cursor', () => {
  it('round-trips the sort key and id, and is URL-safe', () => {
    const key = { at: new Date('2026-12-03T08:00:00.123Z'), id };
    const c = encodeCursor(key);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual(key);
  });

  it('refuses anything not in the exact form the server issues', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      '', '***', b64(null), b64({}), b64([id]), b64(['2026-12-03T08:00:00.123Z', id, 1]), b64(['2026-12-03T08:00:00Z', id]),
      b64(['2026-02-30T00:00:00.000Z', id]), b64(['2026-12-03T08:00:00.123Z', id.toUpperCase()]), b64([0, id]), 'x'.repeat(201),
      // year 0: PostgreSQL has none (it was a 500)
      b64(['0000-01-01T00:00:00.000Z', id]),
    ]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });
});

describe('page query', () => {
  it('defaults limit to 50 and parses plain whole numbers 1–100 only', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 50 });
    expect(PageQuery.parse({ limit: '1' }).limit).toBe(1);
    expect(PageQuery.parse({ limit: '100' }).limit).toBe(100);
    for (const l of ['0', '101', '1e1', '-1', ' 1', '1.0', '', 'abc']) expect(PageQuery.safeParse({ limit: l }).success, l).toBe(false);
    expect(PageQuery.safeParse({ limit: ['1', '2'] }).success).toBe(false);
  });

  it('q: trimmed, empty means none, at most 100 characters, no NUL', () => {
    expect(SearchParam.parse('  show ')).toBe('show');
    expect(SearchParam.parse('   ')).toBeUndefined();
    expect(SearchParam.safeParse('x'.repeat(101)).success).toBe(false);
    expect(SearchParam.safeParse('a\u0000b').success).toBe(false);
  });

  it('LIKE wildcards and the escape character are literal', () => {
    expect(containsText('100%_a\\b')).toEqual({ contains: '100\\%\\_a\\\\b', mode: 'insensitive' });
  });
});

describe('toPage', () => {
  const rows = Array.from({ length: 4 }, (_, i) => ({ id: `${i}0000000-0000-4000-8000-000000000000`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, 10 - i)) }));
  it('has a next cursor naming the last row shown only when the extra row came back', () => {
    expect(toPage(rows.slice(0, 3), 3, (r) => r.at)).toEqual({ rows: rows.slice(0, 3), nextCursor: null });
    const p = toPage(rows, 3, (r) => r.at);
    expect(p.rows).toEqual(rows.slice(0, 3));
    expect(decodeCursor(p.nextCursor!)).toEqual({ at: rows[2]!.at, id: rows[2]!.id });
  });
});
