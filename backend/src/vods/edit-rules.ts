// Pure rules of VOD edits: which ranges may become a clip, what a download is called. No I/O.

export interface ClipLimits {
  minMs: number;
  maxMs: number;
}

export type ClipRangeProblem = { code: 'invalid_range'; message: string } | null;

/**
 * A clip's range on the source's timeline: 0 ≤ start < end ≤ duration, and its length within the
 * limits. Both ends are checked before the worker sees them (it widens them to keyframes, by at
 * most a GOP on each side, never beyond the source).
 */
export function clipRangeProblem(durationMs: number, startMs: number, endMs: number, limits: ClipLimits): ClipRangeProblem {
  const bad = (message: string) => ({ code: 'invalid_range' as const, message });
  if (!(startMs >= 0)) return bad('startMs must be 0 or more');
  if (!(endMs > startMs)) return bad('endMs must be after startMs');
  if (endMs > durationMs) return bad(`endMs must not be after the end of the VOD (${durationMs} ms)`);
  const length = endMs - startMs;
  if (length < limits.minMs) return bad(`A clip must be at least ${seconds(limits.minMs)} long`);
  if (length > limits.maxMs) return bad(`A clip must be at most ${seconds(limits.maxMs)} long`);
  return null;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * The file name of a VOD's MP4 download, from its title: no path separators, quotes, control or
 * format characters, no leading dots, at most 120 characters (code points) before `.mp4`; a title
 * with nothing left gives `vod-<first 8 of its id>.mp4`.
 */
export function downloadFilename(title: string, vodId: string): string {
  const words = title
    .normalize('NFC')
    // Invisible format characters (bidi overrides, zero-width) go; controls and separators split words.
    .replace(/\p{Cf}/gu, '')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}"\\/:*?<>|]/gu, ' ')
    .split(/\s+/)
    // `..` and friends mean something to file systems; a leading dot hides the file.
    .filter((w) => w !== '' && !/^\.+$/.test(w));
  const cleaned = [...words.join(' ').replace(/^\.+/, '')]
    .slice(0, 120)
    .join('')
    .trim();
  const base = cleaned.replace(/\.mp4$/i, '') || `vod-${vodId.slice(0, 8)}`;
  return `${base}.mp4`;
}

/** RFC 8187 value characters (attr-char): everything else is percent-encoded from UTF-8. */
function encodeExtValue(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9!#$&+.^_`|~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/**
 * `Content-Disposition: attachment` for a file name (RFC 6266): a quoted ASCII `filename` for every
 * client (non-ASCII letters lose their accents or become `_`), and `filename*` in UTF-8 (RFC 8187)
 * when the name is not plain ASCII, which clients that know it prefer.
 */
export function attachmentDisposition(filename: string): string {
  const ascii = [...filename.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')]
    .map((c) => (/[\x20-\x7e]/.test(c) && c !== '"' && c !== '\\' ? c : '_'))
    .join('');
  const plain = ascii === filename;
  return plain ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(filename)}`;
}
