// Ingest and playback URLs as OBS and OvenPlayer need them (pure).
export interface OmePublic {
  publicHost: string;
  tls: boolean;
  app: string;
  rtmpPort: number;
  srtPort: number;
  webrtcPort: number;
  llhlsPort: number;
  /** OME <Playlist><FileName>: the ABR playlist OvenPlayer switches renditions in. */
  playlist: string;
}

export interface Ingest {
  rtmp: { server: string; streamKey: string };
  srt: { url: string };
  whip: { url: string };
}

export function ingestUrls(o: OmePublic, streamId: string, publishToken: string): Ingest {
  const http = o.tls ? 'https' : 'http';
  const srtTarget = `srt://${o.publicHost}:${o.srtPort}/${o.app}/${streamId}?token=${publishToken}`;
  return {
    rtmp: { server: `rtmp://${o.publicHost}:${o.rtmpPort}/${o.app}`, streamKey: `${streamId}?token=${publishToken}` },
    // OME's SRT streamid is the percent-encoded publish URL.
    srt: { url: `srt://${o.publicHost}:${o.srtPort}?streamid=${encodeURIComponent(srtTarget)}` },
    whip: { url: `${http}://${o.publicHost}:${o.webrtcPort}/${o.app}/${streamId}?direction=whip&token=${publishToken}` },
  };
}

export interface PlaybackUrls {
  webrtc: string;
  llhls: string;
}

export function playbackUrls(o: OmePublic, streamId: string, token: string | null): PlaybackUrls {
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  return {
    webrtc: `${o.tls ? 'wss' : 'ws'}://${o.publicHost}:${o.webrtcPort}/${o.app}/${streamId}/${o.playlist}${q}`,
    llhls: `${o.tls ? 'https' : 'http'}://${o.publicHost}:${o.llhlsPort}/${o.app}/${streamId}/${o.playlist}.m3u8${q}`,
  };
}
