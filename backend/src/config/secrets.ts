// Which secrets are not secret (pure; shared with the VOD worker as @ocp/backend/secrets).
// With NODE_ENV=production both services refuse to start when a secret is one of the values this
// repository publishes (every .env.example, k8s/base/secret.yaml), contains a placeholder word,
// repeats one character, or is too predictable by this documented rule:
//
//   estimated bits = length × Shannon entropy of the value's own character frequencies,
//                    where a value that is a shorter string repeated counts as that string once
//   refused when estimated bits < MIN_SECRET_BITS (100)
//
// That accepts what `openssl rand -hex 32` (≈ 250), `openssl rand -base64 48` (≈ 350) or
// scripts/init-env.sh produce, and refuses 'aaaa…', 'passwordpassword…' or short words. It is an
// estimate of how varied the text is, not a proof of randomness: generate secrets, never type them.

export const MIN_SECRET_BITS = 100;

/** Values published in this repository's example files (compared case-insensitively). */
const PUBLISHED = [
  // root .env.example
  'dev-only-postgres-password-CHANGE-ME',
  'dev-only-session-jwt-secret-CHANGE-ME-0000000001',
  'dev-only-publish-jwt-secret-CHANGE-ME-0000000002',
  'dev-only-playback-jwt-secret-CHANGE-ME-000000003',
  'dev-only-ome-webhook-secret-CHANGE-ME',
  'dev-only-ome-api-token-CHANGE-ME',
  // backend/.env.example
  'change-me-session-secret-at-least-32-characters',
  'change-me-publish-secret-at-least-32-characters',
  'change-me-playback-secret-at-least-32-characters',
  'change-me-ome-webhook-secret',
  'change-me-ome-api-token',
  // k8s/base/secret.yaml
  'CHANGE-ME',
  'CHANGE-ME-session-jwt-secret-at-least-32-chars',
  'CHANGE-ME-publish-jwt-secret-at-least-32-chars',
  'CHANGE-ME-playback-jwt-secret-at-least-32-chars',
  'CHANGE-ME-ome-webhook-secret',
  'CHANGE-ME-ome-api-access-token',
  'CHANGE-ME-metrics-bearer-token',
  // ome-config fixtures and OME's documentation examples
  'fixture-secret',
  'ome-access-token',
].map((v) => v.toLowerCase());

/** Words that mark a value as a placeholder wherever they appear. */
const PLACEHOLDER_WORDS = /change[-_ .]?me|change[-_ .]?it|dev[-_ .]?only|placeholder|replace[-_ .]?me|fill[-_ .]?me|your[-_ .]?(?:own[-_ .]?)?(?:secret|token|password|key)|not[-_ .]?(?:a[-_ .]?)?secret|insecure|example|xxxxxx/i;

/** The shortest string the value is a repetition of ('abcabcabc' → 'abc'); the value itself when none. */
function repeatedUnit(chars: string[]): string[] {
  for (let p = 1; p <= chars.length / 2; p++) {
    if (chars.length % p !== 0) continue;
    let periodic = true;
    for (let i = p; i < chars.length && periodic; i++) periodic = chars[i] === chars[i - p];
    if (periodic) return chars.slice(0, p);
  }
  return chars;
}

/** length × Shannon entropy (bits per character) of the value's own character distribution (of its repeated unit). */
export function estimatedBits(value: string): number {
  const chars = repeatedUnit([...value]);
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * chars.length;
}

/** Why a value must not be used as a production secret, or null when it may be. */
export function secretProblem(value: string): string | null {
  const v = value.trim();
  if (PUBLISHED.includes(v.toLowerCase())) return 'is a placeholder published in this repository';
  if (PLACEHOLDER_WORDS.test(v)) return 'looks like a placeholder (contains a word such as CHANGE-ME, dev-only, example)';
  if (new Set(v).size <= 1) return 'repeats a single character';
  const bits = estimatedBits(v);
  if (bits < MIN_SECRET_BITS) return `is too predictable (about ${Math.floor(bits)} bits by the entropy estimate; at least ${MIN_SECRET_BITS} needed)`;
  return null;
}

/** The same for the password inside a connection URL (postgresql://user:pw@…, redis://:pw@…); no password = nothing to judge. */
export function urlPasswordProblem(url: string): string | null {
  let password: string;
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return null; // the URL itself is validated elsewhere
  }
  if (!password) return null;
  const v = password.toLowerCase();
  if (PUBLISHED.includes(v) || PLACEHOLDER_WORDS.test(password)) return 'contains a placeholder password published in this repository';
  if (new Set(password).size <= 1) return 'contains a password that repeats a single character';
  return null;
}

export const SECRET_HINT = 'generate one with `openssl rand -hex 32`, or run scripts/init-env.sh for the compose stack';
