// Restream destinations' stream keys at rest (pure, node:crypto only).
//
// AES-256-GCM with a random 96-bit IV per value; the stored text is `v1.<base64url(iv ‖ tag ‖ ciphertext)>`
// and the row keeps the id of the key that wrote it (StreamOutput.streamKeyKid). The output's id is
// the additional authenticated data, so a ciphertext copied onto another row does not decrypt.
//
// The key ring comes from OUTPUT_ENCRYPTION_KEYS = `<kid>:<base64 of 32 bytes>,<kid>:<…>,…`: the
// first entry encrypts, every entry decrypts. Rotation: put a new key first, keep the old ones,
// run `npm run outputs:reencrypt -w backend` (rewrites every value not under the current key), then
// drop the old keys (docs/publish-and-watch.md, "Restream: key rotation").
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyRing {
  /** The key id new values are encrypted with (the first entry). */
  currentKid: string;
  keys: ReadonlyMap<string, Buffer>;
}

export interface Sealed {
  kid: string;
  ciphertext: string;
}

const KID = /^[A-Za-z0-9_-]{1,32}$/;
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class KeyRingError extends Error {}

/** Parses the env value; throws KeyRingError naming what is wrong (never the key material). */
export function parseKeyRing(raw: string): KeyRing {
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new KeyRingError('needs at least one <kid>:<base64 key> entry');
  const keys = new Map<string, Buffer>();
  for (const [i, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const kid = colon < 0 ? '' : entry.slice(0, colon);
    const b64 = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KID.test(kid)) throw new KeyRingError(`entry ${i + 1}: the key id must be 1-32 letters, digits, '-' or '_' before ':'`);
    if (keys.has(kid)) throw new KeyRingError(`entry ${i + 1}: key id "${kid}" appears twice`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new KeyRingError(`key "${kid}": the key must be base64`);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new KeyRingError(`key "${kid}": must be 32 bytes (base64 of 32 random bytes: \`openssl rand -base64 32\`), got ${key.length}`);
    keys.set(kid, key);
  }
  return { currentKid: entries[0]!.slice(0, entries[0]!.indexOf(':')), keys };
}

/** A fresh ring entry `<kid>:<base64>` (tests, scripts/init-env.sh does the same with openssl). */
export function newKeyEntry(kid: string): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

const aad = (outputId: string) => Buffer.from(`stream-output:${outputId}`, 'utf8');

export function seal(ring: KeyRing, outputId: string, plaintext: string): Sealed {
  const key = ring.keys.get(ring.currentKid)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(outputId));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { kid: ring.currentKid, ciphertext: `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}` };
}

export class DecryptError extends Error {
  constructor(readonly reason: 'unknown_key' | 'corrupt') {
    super(reason === 'unknown_key' ? 'the stream key was encrypted with a key that is not in OUTPUT_ENCRYPTION_KEYS' : 'the stored stream key does not decrypt');
  }
}

export function open(ring: KeyRing, outputId: string, sealed: Sealed): string {
  const key = ring.keys.get(sealed.kid);
  if (!key) throw new DecryptError('unknown_key');
  const [version, body] = sealed.ciphertext.split('.', 2);
  if (version !== VERSION || !body) throw new DecryptError('corrupt');
  const buf = Buffer.from(body, 'base64url');
  if (buf.length < IV_BYTES + TAG_BYTES) throw new DecryptError('corrupt');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(outputId));
    decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptError('corrupt');
  }
}

/** Re-encrypts a value under the current key; null when it already is. */
export function reseal(ring: KeyRing, outputId: string, sealed: Sealed): Sealed | null {
  if (sealed.kid === ring.currentKid) return null;
  return seal(ring, outputId, open(ring, outputId, sealed));
}

/** What the API shows of a stream key: its last 4 characters; nothing of a key too short to hide the rest (< 8). */
export function keyHint(plaintext: string): string {
  return plaintext.length >= 8 ? plaintext.slice(-4) : '';
}
