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
  'name', 'description', 'visibility', 'record', 'url', 'events', 'email', 'password', 'role', 'ownerId', 'id', 'status', 'scopes',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
);
const key = fc.oneof({ weight: 3, arbitrary: interestingKey }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) });

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  controlString,
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\u0000http://127.0.0.1/x', 'http://127.0.0.1/\u0000', 'a\u0000@b.c', 'x\u001b[31m', 'line\r\nbreak', '\u202e', '\ud83d\ude00'.repeat(50), 'public', 'private', 'admin', 'stream.live', 'http://127.0.0.1/x', 'javascript:alert(1)', 'a@b.c', 'streams:write', 'admin:*'),
  fc.constantFrom(['streams:read'], ['streams:read', 'streams:read', 'vods:write'], ['*'], ['webhooks:write', null], []),
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
  '{"name":"k","scopes":["streams:read"],"__proto__":{"scopes":["admin"],"polluted":"yes"}}',
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

const base64url = (text: string) => Buffer.from(text).toString('base64url');
const isoish = fc.oneof(
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-31T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2026-01-01', 'now', ''),
  fc.string({ maxLength: 30 }),
);

/** `?limit=`: numbers in and out of range, signs, exponents, hex, whitespace, junk. */
export const limitValue = fc.oneof(
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.constantFrom('', '0', '1', '50', '100', '101', '1e2', '0x10', ' 5', '5 ', '+5', '05', '1.0', 'NaN', 'Infinity', '9'.repeat(400)),
  pathValue,
);

/** `?cursor=`: real-looking (base64url of the server's [time, id] form, right or subtly wrong) and junk. */
export const cursorValue = fc.oneof(
  fc.tuple(isoish, fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }))).map(([at, id]) => base64url(JSON.stringify([at, id]))),
  fc.jsonValue({ maxDepth: 2 }).map((v) => base64url(JSON.stringify(v))),
  fc.string({ unit: 'binary', maxLength: 120 }).map(base64url),
  fc.tuple(isoish, fc.uuid()).map(([at, id]) => Buffer.from(JSON.stringify([at, id])).toString('base64')),
  pathValue,
);

/** `?q=`: SQL LIKE wildcards and escapes, quotes, NULs, unicode, long text. */
export const searchValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 150 }),
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}\u0000${b}`),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('%', '_', '\\', '\\%', '%_%', "' OR 1=1 --", '\u0000', '   ', 'show', 'x'.repeat(101), 'ß', 'İ'),
);

/** `?status=`: every stream and VOD status, case variants, lists, junk. */
export const statusValue = fc.oneof(
  fc.constantFrom('idle', 'live', 'ended', 'disabled', 'pending', 'processing', 'ready', 'failed', 'LIVE', 'live,idle', ' live', ''),
  pathValue,
);

/** API key look-alikes: well-formed but unknown, and malformed `ocp_…` strings. */
export const junkApiKey = fc.oneof(
  fc.stringMatching(/^ocp_[0-9a-f]{32}_[0-9a-f]{48}$/),
  headerValue.map((v) => `ocp_${v.replace(/\s/g, '')}`),
  fc.constantFrom('ocp_', 'ocp__', `ocp_${'0'.repeat(32)}_${'0'.repeat(48)}`, `ocp_${'f'.repeat(32)}_${'x'.repeat(48)}`),
);

/**
 * Bodies the API would accept, per route, so a control character in one field is what gets judged
 * (each string field in turn; numbers stay as they are).
 */
export const VALID_BODIES: Record<string, Record<string, string | number>> = {
  'POST /api/auth/register': { email: 'ctl@example.test', password: 'correct horse battery' },
  'POST /api/auth/login': { email: 'ctl@example.test', password: 'correct horse battery' },
  'POST /api/streams': { name: 'show', description: 'about the show' },
  'PATCH /api/streams/{id}': { name: 'show', description: 'about the show' },
  'POST /api/webhooks': { url: 'https://example.com/hook' },
  'PATCH /api/webhooks/{id}': { url: 'https://example.com/hook2' },
  'POST /api/admin/invites': { email: 'invitee@example.test' },
  // Not the owner's password: without a control character this is a 400 wrong_password, never a change.
  'POST /api/auth/password': { currentPassword: 'not the current password', newPassword: 'a brand new passphrase here' },
  'POST /api/streams/{id}/outputs': { name: 'YouTube', url: 'rtmp://1.1.1.1/live2', streamKey: 'valid-stream-key-0001' },
  'PATCH /api/streams/{id}/outputs/{outputId}': { name: 'Twitch', url: 'rtmp://1.1.1.2/app', streamKey: 'valid-stream-key-0002' },
  // Public viewer beacons: well-formed, about a stream or VOD that is not on air / not theirs (404/409/401).
  'POST /api/beacons/latency': { streamId: '7d0f6a51-3b7c-4e55-9c61-2f1a0c5d9e01', sessionId: '0b8e3c4a-6f2d-4b1e-8a7c-5d9f1e2a3b04', viewerId: 'viewer-0001', protocol: 'webrtc', rendition: '720p', latencyMs: 450 },
  'POST /api/beacons/vod': { vodId: '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a05', viewerId: 'viewer-0002', token: 'not.a.token', watchedMs: 10_000, positionMs: 20_000 },
  'POST /api/vods/{id}/clips': { startMs: 1000, endMs: 5000, title: 'the clip' },
};
/** Fields where tab, LF and CR are text, not control characters. */
export const MULTI_LINE_FIELDS = new Set(['description', 'password', 'currentPassword', 'newPassword']);
