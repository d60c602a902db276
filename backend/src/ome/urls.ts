// Parsing of the URLs OME puts in admission requests (pure), strictly: what is judged must be
// exactly what OME will serve. Seen from OME 0.20 (test/fixtures/ome/webhooks):
//   RTMP    rtmp://h:1935/app/<stream>?token=…
//   SRT     srt://h:9999/app/<stream>[?token=…]          (the decoded streamid; query only if inside it)
//   WebRTC  ws://h:3333/app/<stream>[/<playlist>]?token=… (playback and WebSocket ingest)
//           http://h:3333/app/<stream>?direction=whip&token=… (WHIP ingest)
//   LLHLS   http://h:3333/app/<stream>/llhls.m3u8?token=… (also <playlist>.m3u8, chunklist_…m3u8, part_/seg_/init_…m4s)
// Refused: dot segments (`..` would let a normalising proxy or OME serve another stream than the
// one judged), empty segments (`//app`), percent-encoding in the path (`..%2F`), anything beyond
// the protocol's layout, user info, fragments, a repeated token parameter, and a scheme that does
// not belong to the reported protocol. The host is not judged: OME's <VirtualHost><Host><Names>
// decide which names reach it, and encoders may use an IP; it is never echoed back (see new_url).

export type Direction = 'incoming' | 'outgoing';
export type OmeProtocol = 'rtmp' | 'srt' | 'webrtc' | 'llhls' | 'hls' | 'thumbnail';

export const PUBLISH_PROTOCOLS: ReadonlySet<string> = new Set(['rtmp', 'srt', 'webrtc']);
export const PLAYBACK_PROTOCOLS: ReadonlySet<string> = new Set(['webrtc', 'llhls', 'hls', 'thumbnail']);

export interface OmeUrl {
  scheme: string;
  /** host[:port] as the client sent it (for logs and tests only: never put into an answer) */
  authority: string;
  app: string;
  stream: string;
  /** trailing path after app/stream, e.g. "llhls.m3u8"; '' when there is none */
  file: string;
  query: URLSearchParams;
}

interface Layout {
  schemes: ReadonlySet<string>;
  /** What may follow app/stream: null = nothing. */
  file: RegExp | null;
  /** The file segment may be left out. */
  fileOptional: boolean;
}

// OME file names: letters, digits, '_', '-', '.', and ':' (legacy HLS "ts:playlist.m3u8").
const NAME = '[A-Za-z0-9_-][A-Za-z0-9_.:-]*';
const LAYOUTS: Record<OmeProtocol, Layout> = {
  rtmp: { schemes: new Set(['rtmp']), file: null, fileOptional: true },
  srt: { schemes: new Set(['srt']), file: null, fileOptional: true },
  // WebRTC: ws(s) for signalling (optionally with the playlist name), http(s) for WHIP.
  webrtc: { schemes: new Set(['ws', 'wss', 'http', 'https']), file: /^[A-Za-z0-9_-]+$/, fileOptional: true },
  llhls: { schemes: new Set(['http', 'https']), file: new RegExp(`^${NAME}\\.(?:m3u8|m4s)$`), fileOptional: false },
  hls: { schemes: new Set(['http', 'https']), file: new RegExp(`^${NAME}\\.(?:m3u8|ts)$`), fileOptional: false },
  thumbnail: { schemes: new Set(['http', 'https']), file: new RegExp(`^${NAME}\\.(?:jpg|jpeg|png|webp)$`), fileOptional: false },
};
const ANY: Layout = { schemes: new Set(['rtmp', 'srt', 'ws', 'wss', 'http', 'https']), file: new RegExp(`^${NAME}$`), fileOptional: true };

/** app and stream: unreserved characters only (no '%', so nothing decodes into '/' or '..'). */
const SEGMENT = /^[A-Za-z0-9_~.-]+$/;
/** host (name, IPv4 or [IPv6]) with an optional port; no user info. */
const AUTHORITY = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** OME reports protocols as RTMP, SRT, LLHLS, WebRTC…; compare in lower case. */
export function normalizeProtocol(protocol: string): string {
  return protocol.trim().toLowerCase();
}

/**
 * The app, stream and file an OME URL names, or null when it is not exactly the layout OME uses for
 * `protocol` (any OME layout when no protocol is given).
 */
export function parseOmeUrl(raw: string, protocol?: string): OmeUrl | null {
  const layout = protocol === undefined ? ANY : LAYOUTS[normalizeProtocol(protocol) as OmeProtocol];
  if (!layout) return null;
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(raw);
  if (!m) return null;
  const [, schemeRaw = '', authority = '', path = '', query = ''] = m;
  const scheme = schemeRaw.toLowerCase();
  if (!layout.schemes.has(scheme)) return null;
  if (!AUTHORITY.test(authority)) return null;
  const segments = path.split('/').slice(1); // path starts with '/'; empty segments stay and are refused
  const [app = '', stream = '', file, ...extra] = segments;
  if (extra.length) return null;
  for (const s of [app, stream]) if (!SEGMENT.test(s) || s === '.' || s === '..') return null;
  if (file === undefined) {
    if (!layout.fileOptional) return null;
  } else if (!layout.file || !layout.file.test(file) || file === '.' || file === '..') {
    return null;
  }
  const params = new URLSearchParams(query);
  if (params.getAll('token').length > 1) return null;
  return { scheme, authority, app, stream, file: file ?? '', query: params };
}

/** Where OME should move an accepted RTMP/SRT publisher: built from configuration only, without the token. */
export function publishRedirect(protocol: 'rtmp' | 'srt', app: string, stream: string, to: { host: string; rtmpPort: number; srtPort: number }): string {
  const port = protocol === 'rtmp' ? to.rtmpPort : to.srtPort;
  return `${protocol}://${to.host}:${port}/${app}/${stream}`;
}
