import { pino, type Logger } from 'pino';

// Anything that could carry a credential is removed before it reaches a log line.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-ome-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.streamKey',
  '*.secret',
];

/** Query parameters whose values are credentials, compared after decoding and lower-casing the name. */
const SECRET_PARAMS = new Set(['token', 'access_token', 'signature', 'sig', 'key', 'api_key', 'apikey', 'password', 'secret', 'session', 'streamkey', 'stream_key']);
/** A JWT (or anything shaped like one) anywhere in a URL, encoded or not. */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{4,}(?:\.|%2e)[A-Za-z0-9_-]{4,}(?:(?:\.|%2e)[A-Za-z0-9_-]*)?/gi;
const REDACTED = '[redacted]';

/** A parameter name as a server would read it: `+` is a space, %XX decoded (repeatedly, so %2574 is caught too). */
function decodedName(raw: string): string | null {
  let name = raw.replace(/\+/g, ' ');
  for (let i = 0; i < 3 && name.includes('%'); i++) {
    try {
      name = decodeURIComponent(name);
    } catch {
      return null;
    }
  }
  return name.trim().toLowerCase();
}

/**
 * The URL as it may be logged: the path, and the query with the value of every credential-like
 * parameter replaced, judged on the DECODED name (`?%74oken=` is `token` to Express). A name that
 * cannot be decoded loses its value too, and JWT-shaped text is removed wherever it appears.
 */
export function scrubUrl(url: string): string {
  const q = url.indexOf('?');
  const hash = url.indexOf('#', q < 0 ? 0 : q);
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1, hash < 0 ? undefined : hash);
  const pairs = query
    ? query.split('&').map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        const name = decodedName(pair.slice(0, eq));
        return name === null || SECRET_PARAMS.has(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
      })
    : [];
  return `${path}${q < 0 ? '' : `?${pairs.join('&')}`}`.replace(JWT_SHAPED, REDACTED);
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'backend' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
}
