// API key strings: `ocp_<key id: 32 hex>_<secret: 48 hex>`. Pure, no I/O.
//
// The key id is the row's UUID (without dashes), so a key is found by primary key; the secret is
// 24 random bytes (192 bits). Only SHA-256 of the whole key string is stored and compared in
// constant time. A slow password hash (argon2) is not needed here: it protects low-entropy,
// human-chosen passwords from guessing after a database leak, but nobody can guess 192 random bits,
// fast hash or not. It would also cost tens of milliseconds of CPU and memory on EVERY API call
// (API keys are sent with each request, unlike a password that is sent once per login), which
// would make each request with a junk key an easy way to exhaust the server.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'ocp_';
const FORMAT = /^ocp_([0-9a-f]{32})_([0-9a-f]{48})$/;

export const looksLikeApiKey = (token: string): boolean => token.startsWith(API_KEY_PREFIX);

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new key: its id (UUID form, the row id), the full secret string (shown once) and its hash. */
export function newApiKey(): { id: string; key: string; keyHash: string } {
  const id = randomUUID();
  const key = `${API_KEY_PREFIX}${id.replaceAll('-', '')}_${randomBytes(24).toString('hex')}`;
  return { id, key, keyHash: hashApiKey(key) };
}

/** The key id (UUID form) of a well-formed key string, else null. */
export function parseApiKey(key: string): { id: string } | null {
  const m = FORMAT.exec(key);
  if (!m) return null;
  const h = m[1]!;
  return { id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` };
}

/** Constant-time comparison of a presented key with a stored hash. */
export function keyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What the dashboard shows to tell keys apart: the start of the key, which is not secret. */
export const displayPrefix = (id: string): string => `${API_KEY_PREFIX}${id.replaceAll('-', '').slice(0, 8)}`;
