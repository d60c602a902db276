// Stream keys at rest: AES-256-GCM round trip bound to the output id, key ring parsing, rotation
// (old keys still decrypt, reencryptOutputs moves every row to the current key, then the old key can go).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedDatabase } from '../../test/helpers.js';
import { createDb, type Db } from '../db/client.js';
import { DecryptError, KeyRingError, keyHint, newKeyEntry, open, parseKeyRing, reseal, seal } from './crypto.js';
import { reencryptOutputs } from './reencrypt.js';

const k1 = newKeyEntry('k1');
const k2 = newKeyEntry('k2');

describe('key ring', () => {
  it('takes <kid>:<base64 32 bytes> entries, the first one current', () => {
    const ring = parseKeyRing(` ${k2} , ${k1} `);
    expect(ring.currentKid).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
  });

  it.each([
    ['', /at least one/],
    ['k1', /key id/],
    ['bad kid!:' + Buffer.alloc(32).toString('base64'), /key id/],
    [`k1:${Buffer.alloc(16, 1).toString('base64')}`, /32 bytes/],
    ['k1:not base64!!', /base64/],
    [`${k1},${k1}`, /twice/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseKeyRing(raw)).toThrow(KeyRingError);
    expect(() => parseKeyRing(raw)).toThrow(message);
  });

  it('never puts key material in its error messages', () => {
    const secret = Buffer.alloc(31, 7).toString('base64');
    try {
      parseKeyRing(`k1:${secret}`);
    } catch (err) {
      expect((err as Error).message).not.toContain(secret);
    }
  });
});

describe('seal / open', () => {
  const ring = parseKeyRing(k1);
  const id = randomUUID();

  it('round-trips, with a fresh IV each time and nothing of the key in the ciphertext', () => {
    const a = seal(ring, id, 'live_0123456789abcdef');
    const b = seal(ring, id, 'live_0123456789abcdef');
    expect(a.kid).toBe('k1');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(a.ciphertext).not.toContain('live_');
    expect(open(ring, id, a)).toBe('live_0123456789abcdef');
    expect(open(ring, id, seal(ring, id, ''))).toBe('');
  });

  it('refuses a ciphertext moved to another output, tampered with, or under an unknown key', () => {
    const s = seal(ring, id, 'live_0123456789abcdef');
    expect(() => open(ring, randomUUID(), s)).toThrow(DecryptError);
    const body = Buffer.from(s.ciphertext.slice(3), 'base64url');
    body[body.length - 1]! ^= 1;
    expect(() => open(ring, id, { kid: 'k1', ciphertext: `v1.${body.toString('base64url')}` })).toThrow(DecryptError);
    expect(() => open(ring, id, { kid: 'k9', ciphertext: s.ciphertext })).toThrow(expect.objectContaining({ reason: 'unknown_key' }));
    expect(() => open(parseKeyRing(k2.replace('k2', 'k1')), id, s)).toThrow(expect.objectContaining({ reason: 'corrupt' }));
  });

  it('rotation: a ring with a new current key still opens old values, and reseal moves them to the new key', () => {
    const old = seal(ring, id, 'key-under-k1');
    const rotated = parseKeyRing(`${k2},${k1}`);
    expect(open(rotated, id, old)).toBe('key-under-k1');
    const moved = reseal(rotated, id, old)!;
    expect(moved.kid).toBe('k2');
    expect(reseal(rotated, id, moved)).toBeNull();
    expect(open(parseKeyRing(k2), id, moved)).toBe('key-under-k1');
  });

  it('shows the last 4 characters of a key of 8 or more, nothing of a shorter one', () => {
    expect(keyHint('live_0123456789abcdef')).toBe('cdef');
    expect(keyHint('1234567')).toBe('');
    expect(keyHint('')).toBe('');
  });
});

describe('reencryptOutputs (key rotation over the database)', () => {
  let iso: Awaited<ReturnType<typeof isolatedDatabase>>;
  let db: Db;
  beforeAll(async () => {
    iso = await isolatedDatabase('outputs_keys');
    db = createDb(iso.url, { poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    await db.$disconnect();
    await iso.drop();
  });

  it('rewrites every row under the current key, skips rows it cannot read, and is a no-op the second time', async () => {
    const user = await db.user.create({ data: { email: `keys-${Date.now()}@example.test`, passwordHash: 'x' } });
    const stream = await db.stream.create({ data: { ownerId: user.id, name: 'rot' } });
    const oldRing = parseKeyRing(k1);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      const s = seal(oldRing, id, `stream-key-number-${i}`);
      await db.streamOutput.create({ data: { id, streamId: stream.id, name: `o${i}`, url: 'rtmp://1.1.1.1/app', protocol: 'rtmp', streamKeyCipher: s.ciphertext, streamKeyKid: s.kid } });
    }
    const lost = randomUUID();
    const gone = seal(parseKeyRing(newKeyEntry('k0')), lost, 'nobody can read me');
    await db.streamOutput.create({ data: { id: lost, streamId: stream.id, name: 'lost', url: 'rtmp://1.1.1.1/app', protocol: 'rtmp', streamKeyCipher: gone.ciphertext, streamKeyKid: gone.kid } });

    const rotated = parseKeyRing(`${k2},${k1}`);
    const r = await reencryptOutputs(db, rotated, 2);
    expect(r.rewritten).toBe(3);
    expect(r.unreadable).toEqual([{ id: lost, kid: 'k0', reason: 'unknown_key' }]);
    const rows = await db.streamOutput.findMany({ where: { id: { in: ids } } });
    const onlyNew = parseKeyRing(k2);
    for (const row of rows) {
      expect(row.streamKeyKid).toBe('k2');
      expect(open(onlyNew, row.id, { kid: row.streamKeyKid, ciphertext: row.streamKeyCipher })).toBe(`stream-key-number-${ids.indexOf(row.id)}`);
    }
    expect(await reencryptOutputs(db, rotated)).toEqual({ rewritten: 0, unreadable: [{ id: lost, kid: 'k0', reason: 'unknown_key' }] });
  });
});
