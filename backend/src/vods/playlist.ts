// Rewrites an HLS media playlist so every URI points at a signed URL. Pure.

const URI_ATTR = /URI="([^"]+)"/g;

function isAbsolute(uri: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(uri);
}

/**
 * `resolve` maps a relative URI (as written in the playlist, relative to its directory) to the URL
 * players should fetch. Absolute URIs are left alone. Tags are kept byte for byte.
 */
export function rewritePlaylist(text: string, resolve: (relativeUri: string) => string): string {
  if (!text.startsWith('#EXTM3U')) throw new Error('not an HLS playlist');
  return text
    .split(/\r?\n/)
    .map((line) => {
      const t = line.trim();
      if (t === '') return line;
      if (t.startsWith('#')) return t.includes('URI="') ? t.replace(URI_ATTR, (_m, u: string) => `URI="${isAbsolute(u) ? u : resolve(u)}"`) : line;
      return isAbsolute(t) ? t : resolve(t);
    })
    .join('\n');
}

/** Segment URIs must stay inside the VOD's own folder: no `..`, no absolute paths. */
export function safeRelativeUri(uri: string): boolean {
  return !uri.startsWith('/') && !uri.split(/[/?#]/).includes('..');
}

/** The distinct relative URIs a playlist references (segments, init sections, keys). */
export function playlistUris(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '') continue;
    if (t.startsWith('#')) for (const m of t.matchAll(URI_ATTR)) out.add(m[1]!);
    else out.add(t);
  }
  return [...out].filter((u) => !isAbsolute(u));
}
