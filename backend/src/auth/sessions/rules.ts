// Whether a dashboard session (or an API key's owner) may act now: pure rules, no I/O.
// The one place that says so; SessionService and ApiKeyService load the facts and call these.

/** `lastSeenAt` is written at most this often per session (per replica, and in SQL across replicas). */
export const LAST_SEEN_INTERVAL_MS = 60_000;
/**
 * How long a replica may answer a read (GET) from its own copy of a session check. Any change the
 * backend makes (logout, revoke, password change, role change, make-admin) bumps the user's version
 * in Redis, which every replica compares on every request, so the copy is dropped at once; this
 * bound only covers changes made behind the backend's back (SQL by hand) or a lost Redis write.
 * Writes (POST/PATCH/PUT/DELETE) never use the copy.
 */
export const CACHE_TTL_MS = 15_000;
/** Active sessions one account may hold; a new login beyond it ends the least recently used. */
export const MAX_ACTIVE_SESSIONS = 50;
/** Stored user agents are cut to this length. */
export const USER_AGENT_MAX = 512;

export type Refusal = 'unknown' | 'revoked' | 'expired' | 'wrong_user' | 'no_account';

/** The account facts a check needs (the disabled-account check joins here). */
export interface AccountFacts {
  role: 'user' | 'admin';
}

export interface SessionFacts {
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  user: AccountFacts | null;
}

/** Why the account may not act (its sessions and API keys are refused); null when it may. */
export function accountRefusal(user: AccountFacts | null | undefined): Refusal | null {
  return user ? null : 'no_account';
}

/** Why the session named by a token for `userId` is refused at `now`; null when it is valid. */
export function sessionRefusal(row: SessionFacts | null, userId: string, now: number): Refusal | null {
  if (!row) return 'unknown'; // never existed, pruned, or its user was deleted (cascade)
  if (row.userId !== userId) return 'wrong_user';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now) return 'expired';
  return accountRefusal(row.user);
}

/** The 401 message for a refusal (the code is always `unauthorized`). */
export function refusalMessage(r: Refusal): string {
  if (r === 'expired') return 'Session expired, log in again';
  if (r === 'revoked') return 'This session has been logged out, log in again';
  return 'Invalid session token';
}

/** A User-Agent header as stored: control characters removed, at most USER_AGENT_MAX characters. */
export function cleanUserAgent(ua: string | undefined): string {
  return (ua ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, USER_AGENT_MAX);
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\b(?:Headless)?Chrome\/|\bCriOS\//, 'Chrome'], // HeadlessChrome/ too: the word boundary is before "Headless"
  [/\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl'],
];
const SYSTEMS: [RegExp, string][] = [
  [/\biPhone|\biPad|\biPod/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** A short label for a session list ("Firefox on Linux"); the raw user agent is shown beside it. */
export function deviceLabel(ua: string): string {
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? (ua ? 'Unknown device' : 'Unknown');
}
