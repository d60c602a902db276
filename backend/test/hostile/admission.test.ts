// Property-based hostile input on OME's admission webhook: correctly signed random and malformed
// bodies (what a compromised or buggy OME could send), and unsigned / wrongly signed ones (anybody
// on the network). Answers are 200 `{allowed,…}`/`{}`, 400 or 401/413 with the error shape, never
// 5xx; nothing is written unless a publish was actually allowed; the server stays up.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { omeSignature } from '../../src/ome/signature.js';
import { Client, OME_SECRET } from '../helpers.js';
import { bodyText, headerValue, hostileValue } from './arbitraries.js';
import { expectWellFormed, isolatedBackend, raw, type Isolated } from './support.js';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);

let iso: Isolated;
let base: string;
let ids: { publicId: string; privateId: string; publishKey: string; privateKey: string };

beforeAll(async () => {
  iso = await isolatedBackend();
  base = iso.backend.url;
  const owner = new Client(base);
  await owner.signUp();
  const pub = await owner.createStream({ name: 'public', visibility: 'public' });
  const priv = await owner.createStream({ name: 'private', visibility: 'private' });
  ids = { publicId: pub.stream.id, privateId: priv.stream.id, publishKey: pub.ingest.rtmp.streamKey, privateKey: priv.ingest.rtmp.streamKey };
});
afterAll(async () => {
  await iso?.stop();
});

/** OME-like URLs: right and wrong apps, real and random stream ids, tokens that are junk or for another stream. */
const omeUrl = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(
    fc.constantFrom('rtmp', 'srt', 'ws', 'wss', 'http', 'https', 'file', 'javascript'),
    fc.constantFrom('app', 'other', '', '..', '%2e%2e'),
    fc.oneof(fc.uuid(), fc.constant('PUBLIC'), fc.constant('PRIVATE'), fc.string({ unit: 'binary', maxLength: 60 })),
    fc.oneof(fc.constant(''), fc.constant('?token=KEY'), headerValue.map((t) => `?token=${encodeURIComponent(t)}`), fc.constant('?token=&token=x'), fc.constant('/abr.m3u8')),
  ).map(([scheme, app, stream, rest]) => `${scheme}://live.example.test:1935/${app}/${stream}${rest}`),
);

/** Mostly the right type (so the decision logic runs), sometimes anything. */
const mostly = <T>(ok: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: ok }, { weight: 1, arbitrary: hostileValue });

const admissionLike = fc
  .record({
    client: mostly(
      fc.record({
        address: mostly(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }))),
        port: mostly(fc.integer({ min: 0, max: 65_535 })),
        real_ip: fc.oneof(fc.ipV4(), hostileValue),
        user_agent: fc.string({ unit: 'binary', maxLength: 200 }),
      }, { requiredKeys: ['address', 'port'] }),
    ),
    request: mostly(
      fc.record(
        {
          direction: mostly(fc.constantFrom('incoming', 'outgoing')),
          protocol: mostly(fc.constantFrom('RTMP', 'SRT', 'WebRTC', 'LLHLS', 'HLS', 'rtmp', 'Thumbnail', 'x')),
          status: mostly(fc.constantFrom('opening', 'closing')),
          url: mostly(omeUrl),
          new_url: mostly(omeUrl),
          // Mostly "now" give or take the window (so the decision logic runs), in OME's and Z form; sometimes any date.
          time: mostly(
            fc.oneof(
              { weight: 4, arbitrary: fc.tuple(fc.integer({ min: -25_000, max: 25_000 }), fc.boolean()).map(([d, z]) => new Date(Date.now() + d).toISOString().replace('Z', z ? 'Z' : '+00:00')) },
              { weight: 1, arbitrary: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()) },
            ),
          ),
        },
        { requiredKeys: ['direction', 'protocol', 'status', 'url'] },
      ),
    ),
  }, { requiredKeys: ['client', 'request'] })
  .chain((o) => fc.tuple(fc.constant(o), fc.boolean()))
  .map(([o, pollute]) => {
    // Prototype-pollution keys written as raw JSON text (an object literal cannot carry an own __proto__).
    let text = JSON.stringify(o);
    if (pollute) text = text.replace(/\{"request":\{|^\{/, (m) => `${m}"__proto__":{"polluted":"yes","allowed":true},"constructor":{"prototype":{"polluted":"yes"}},`);
    return text
      .replace(/PUBLIC/g, ids.publicId)
      .replace(/PRIVATE/g, ids.privateId)
      .replace(/KEY/g, encodeURIComponent(ids.publishKey.split('?token=')[1] ?? ''));
  });

const anyBody = fc.oneof({ weight: 3, arbitrary: admissionLike }, { weight: 2, arbitrary: bodyText });

async function send(body: string, signature: string | null, contentType = 'application/json') {
  const headers: Record<string, string> = { 'content-type': contentType, 'user-agent': 'OvenMediaEngine' };
  if (signature !== null) headers['x-ome-signature'] = signature;
  return raw(base, 'POST', '/api/ome/admission', { body, headers });
}

describe('hostile input on the OME admission webhook', () => {
  it('correctly signed random bodies: 200 with a decision, or 4xx with the error shape; nothing written unless admitted', { timeout: 60_000 }, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(anyBody, fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', ''), async (body, type) => {
        const before = await iso.fingerprint();
        const r = await send(body, omeSignature(OME_SECRET, body), type);
        seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
        expectWellFormed(r, `signed ${body.slice(0, 200)}`);
        expect([200, 400, 413]).toContain(r.status);
        if (r.status === 200) {
          expect(r.contentType).toMatch(/^application\/json/);
          const keys = Object.keys(r.body);
          expect(keys.every((k) => ['allowed', 'reason', 'new_url', 'lifetime'].includes(k)), r.text).toBe(true);
          if (keys.length) expect(typeof r.body.allowed).toBe('boolean');
        }
        if (r.body?.allowed !== true) expect(await iso.fingerprint(), `not admitted but written: ${body.slice(0, 200)}`).toEqual(before);
      }),
      { numRuns: RUNS },
    );
    // The generator reaches the decision logic, not just the validator.
    expect(seen.get(200) ?? 0).toBeGreaterThan(5);
    expect(seen.get(400) ?? 0).toBeGreaterThan(5);
    expect((await raw(base, 'GET', '/healthz')).status).toBe(200);
  });

  it('unsigned, wrongly signed, replayed-onto-another-body and truncated signatures: always 401, nothing written', { timeout: 60_000 }, async () => {
    const badSignature = (body: string) =>
      fc.oneof(
        fc.constant<string | null>(null),
        fc.constant(''),
        headerValue,
        fc.constant(omeSignature('wrong-secret', body)),
        fc.constant(omeSignature(OME_SECRET, `${body} `)),
        fc.constant(omeSignature(OME_SECRET, body).slice(0, -2)),
        fc.constant(omeSignature(OME_SECRET, body).toUpperCase()),
        fc.constant(Buffer.from(omeSignature(OME_SECRET, body), 'base64url').toString('hex')),
      );
    await fc.assert(
      fc.asyncProperty(
        anyBody.filter((b) => b.length > 0 && Buffer.byteLength(b) <= 16 * 1024).chain((b) => fc.tuple(fc.constant(b), badSignature(b))),
        async ([body, sig]) => {
          // An upper-cased signature of a signature with no letters would still be valid: skip that corner.
          fc.pre(sig !== omeSignature(OME_SECRET, body));
          const before = await iso.fingerprint();
          const r = await send(body, sig);
          expectWellFormed(r, `sig=${String(sig).slice(0, 30)} ${body.slice(0, 100)}`);
          expect(r.status).toBe(401);
          expect(r.body.error.code).toBe('invalid_signature');
          expect(await iso.fingerprint()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
    expect((await raw(base, 'GET', '/healthz')).status).toBe(200);
  });

  it('a signed replay of a real publish for a live stream is refused and writes nothing', async () => {
    // The private stream: the random bodies above never carry its key, so it is still idle here.
    const url = `rtmp://live.example.test:1935/app/${ids.privateId}?token=${ids.privateKey.split('?token=')[1]}`;
    const body = JSON.stringify({ client: { address: '10.0.0.1', port: 40000 }, request: { direction: 'incoming', protocol: 'RTMP', status: 'opening', url, time: new Date().toISOString() } });
    const first = await send(body, omeSignature(OME_SECRET, body));
    expect(first.body.allowed, first.text).toBe(true);
    const before = await iso.fingerprint();
    const replay = await send(body, omeSignature(OME_SECRET, body));
    expect(replay.body).toEqual({ allowed: false, reason: 'replayed request' });
    // A new request (OME's next attempt: other time, other port) with the same key while live.
    const again = JSON.stringify({ client: { address: '10.0.0.1', port: 40001 }, request: { direction: 'incoming', protocol: 'RTMP', status: 'opening', url, time: new Date(Date.now() + 1).toISOString() } });
    expect((await send(again, omeSignature(OME_SECRET, again))).body).toEqual({ allowed: false, reason: 'stream already live' });
    expect(await iso.fingerprint()).toEqual(before);
  });
});
