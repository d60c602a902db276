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

/** Drops query values of token-like parameters from a URL before logging it. */
export function scrubUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|signature|key)=)[^&#\s]*/gi, '$1[redacted]');
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
