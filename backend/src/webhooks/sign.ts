// Outgoing webhook signatures (pure): `X-OCP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
// The timestamp inside the signed string lets receivers refuse replays older than their tolerance.
// While a rotated-out secret is still in its overlap period the header carries one v1= per secret
// (the new one first), so a receiver that still has the old secret keeps verifying (Stripe's scheme).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const hmac = (secret: string, body: string, t: number) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

export function signWebhook(secrets: string | readonly string[], body: string, timestampSeconds: number): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  return [`t=${timestampSeconds}`, ...list.map((s) => `v1=${hmac(s, body, timestampSeconds)}`)].join(',');
}

/** What a receiver does; used by our tests and documented for users. Any one v1= matching is enough. */
export function verifyWebhook(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((kv) => {
    const i = kv.indexOf('=');
    return i < 0 ? ['', ''] : [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
  });
  const ts = parts.filter(([k]) => k === 't');
  const t = Number(ts[0]?.[1]);
  if (ts.length !== 1 || !Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, body, t), 'hex');
  return parts
    .filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v!))
    .some(([, v]) => timingSafeEqual(Buffer.from(v!, 'hex'), expected));
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** The secrets that sign now: the current one, and the previous one until its overlap ends. */
export function signingSecrets(e: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }, now: number): string[] {
  return e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt.getTime() > now ? [e.secret, e.previousSecret] : [e.secret];
}
