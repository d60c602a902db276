// Parsing of the URLs OME puts in admission requests (pure).
// Seen from OME 0.20: rtmp://h:1935/app/s?token=…, srt://h:9999/app/s?token=… (query only if it was inside
// the SRT streamid), http://h:3333/app/s/llhls.m3u8?token=…, ws://h:3333/app/s?token=….

export type Direction = 'incoming' | 'outgoing';
export type OmeProtocol = 'rtmp' | 'srt' | 'webrtc' | 'llhls' | 'hls' | 'thumbnail';

export const PUBLISH_PROTOCOLS: ReadonlySet<string> = new Set(['rtmp', 'srt', 'webrtc']);
export const PLAYBACK_PROTOCOLS: ReadonlySet<string> = new Set(['webrtc', 'llhls', 'hls', 'thumbnail']);

export interface OmeUrl {
  scheme: string;
  /** host[:port] as the client sent it */
  authority: string;
  app: string;
  stream: string;
  /** trailing path after app/stream, e.g. "llhls.m3u8" */
  file: string;
  query: URLSearchParams;
}

/** OME reports protocols as RTMP, SRT, LLHLS, WebRTC…; compare in lower case. */
export function normalizeProtocol(protocol: string): string {
  return protocol.trim().toLowerCase();
}

export function parseOmeUrl(raw: string): OmeUrl | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?/i.exec(raw);
  if (!m) return null;
  const [, scheme = '', authority = '', path = '', query = ''] = m;
  const segments = path.split('/').filter(Boolean);
  if (segments.length < 2) return null;
  let app: string;
  let stream: string;
  try {
    app = decodeURIComponent(segments[0]!);
    stream = decodeURIComponent(segments[1]!);
  } catch {
    return null;
  }
  return {
    scheme: scheme.toLowerCase(),
    authority,
    app,
    stream,
    file: segments.slice(2).join('/'),
    query: new URLSearchParams(query),
  };
}

/** The same URL without its `token` parameter: given to OME as `new_url` so the key never becomes part of OME's names. */
export function withoutToken(url: OmeUrl): string {
  const q = new URLSearchParams(url.query);
  q.delete('token');
  const qs = q.toString();
  const path = [url.app, url.stream, ...(url.file ? [url.file] : [])].map(encodeURIComponent).join('/');
  return `${url.scheme}://${url.authority}/${path}${qs ? `?${qs}` : ''}`;
}
