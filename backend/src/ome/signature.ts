// X-OME-Signature: base64url (no padding) of HMAC-SHA1(secret, raw request body).
// Captured OME 0.20 requests show the unpadded url-safe form; a padded variant is accepted too
// since the docs only say "base64 url safe".
import { createHmac, timingSafeEqual } from 'node:crypto';

export function omeSignature(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha1', secret).update(rawBody).digest('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export function verifyOmeSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || header.length > 64 || !BASE64URL.test(header)) return false;
  const given = Buffer.from(header.replace(/=+$/, ''), 'base64url');
  const expected = createHmac('sha1', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
