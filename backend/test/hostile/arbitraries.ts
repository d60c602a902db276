// fast-check generators for hostile request bodies, shared by the hostile-input suites.
import fc from 'fast-check';

/** NUL, other C0 controls (SOH, ESC, line breaks) and DEL: refused in every request string. */
export const CONTROL_CHARACTERS = ['\u0000', '\u0001', '\u001b', '\u007f'] as const;
const controlChar = fc.integer({ min: 0, max: 0x20 }).map((c) => String.fromCharCode(c === 0x20 ? 0x7f : c));

/** Ordinary text with control characters mixed in (fc's 'binary' unit rarely draws them). */
export const controlString = fc
  .array(fc.oneof({ weight: 1, arbitrary: controlChar }, { weight: 3, arbitrary: fc.string({ maxLength: 6 }) }), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));

/** Keys a handler might trust, plus the ones that pollute prototypes when merged naively. */
const interestingKey = fc.constantFrom(
  'name', 'description', 'visibility', 'record', 'url', 'events', 'email', 'password', 'role', 'ownerId', 'id', 'status',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
);
const key = fc.oneof({ weight: 3, arbitrary: interestingKey }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) });

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  controlString,
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\u0000http://127.0.0.1/x', 'http://127.0.0.1/\u0000', 'a\u0000@b.c', 'x\u001b[31m', 'line\r\nbreak', '\u202e', '\ud83d\ude00'.repeat(50), 'public', 'private', 'admin', 'stream.live', 'http://127.0.0.1/x', 'javascript:alert(1)', 'a@b.c'),
  fc.constantFrom(true, false, null, 0, -1, 1e308, -0, 2 ** 53 + 1),
  fc.constant({ role: 'admin', isAdmin: true, polluted: 'yes' }),
);

/** A JSON object written as text, so `__proto__` stays an own key exactly as a client would send it. */
export const objectText = fc
  .array(fc.tuple(key, hostileValue), { maxLength: 8 })
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`);

const pollution = fc.constantFrom(
  '{"__proto__":{"role":"admin","polluted":"yes"}}',
  '{"name":"x","__proto__":{"record":"yes","polluted":"yes"}}',
  '{"constructor":{"prototype":{"role":"admin","polluted":"yes"}}}',
  '{"name":"x","constructor":{"prototype":{"polluted":"yes"}}}',
  '{"email":"a@b.c","password":"password1","__proto__":{"role":"admin"}}',
  '{"url":"http://127.0.0.1/","events":["stream.live"],"__proto__":{"enabled":false}}',
  '{"prototype":{"polluted":"yes"},"name":"x"}',
  '[{"__proto__":{"polluted":"yes"}}]',
);

const malformed = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('{', '{"name":', '{"name":"x",}', "{'name':'x'}", 'null', 'undefined', 'NaN', '{"name":"x"}{"name":"y"}', '\ufeff{"name":"x"}', '{"name":"\\ud800"}', '{"a":1e999999}'),
  fc.jsonValue().map((v) => JSON.stringify(v)).map((s) => s.slice(0, Math.max(0, s.length - 1))),
);

const huge = fc.oneof(
  // Over the 64 kB body limit: 413.
  fc.integer({ min: 1, max: 3 }).map((k) => JSON.stringify({ name: '\u00fc'.repeat(k * 40_000) })),
  // Under the limit but far over every field's maximum: 400.
  fc.integer({ min: 1_000, max: 30_000 }).map((n) => JSON.stringify({ name: 'x'.repeat(n), description: '\u{1F600}'.repeat(n / 4), url: `http://${'a'.repeat(n)}.test/` })),
  fc.integer({ min: 100, max: 3_000 }).map((d) => `{"name":${'['.repeat(d)}${']'.repeat(d)}}`),
  fc.integer({ min: 100, max: 5_000 }).map((n) => JSON.stringify({ events: Array.from({ length: n }, () => 'stream.live') })),
);

export const bodyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: objectText },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: pollution },
  { weight: 2, arbitrary: malformed },
  { weight: 1, arbitrary: huge },
);

export const contentType = fc.constantFrom(
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain',
  'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', '',
);

/** Printable ASCII only: fetch refuses other bytes in header values. */
export const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });

/** Path segments and query values: anything, including unicode, NULs, slashes and dots. */
export const pathValue = fc.oneof(
  fc.uuid(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  controlString,
  fc.constantFrom('', '.', '..', '\u0000', 'a\u0000b', '\u001b[0m', '../../etc/passwd', '%00', '00000000-0000-0000-0000-000000000000', "1' OR '1'='1", '__proto__', 'constructor', 'x'.repeat(1500)),
);

/** Bodies the API would accept, per route, so a control character in one field is what gets judged. */
export const VALID_BODIES: Record<string, Record<string, string>> = {
  'POST /api/auth/register': { email: 'ctl@example.test', password: 'correct horse battery' },
  'POST /api/auth/login': { email: 'ctl@example.test', password: 'correct horse battery' },
  'POST /api/streams': { name: 'show', description: 'about the show' },
  'PATCH /api/streams/{id}': { name: 'show', description: 'about the show' },
  'POST /api/webhooks': { url: 'https://example.com/hook' },
};
/** Fields where tab, LF and CR are text, not control characters. */
export const MULTI_LINE_FIELDS = new Set(['description', 'password']);
