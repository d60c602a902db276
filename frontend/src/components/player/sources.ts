import type { Playback } from '../../api';

export interface PlayerSource {
  type: 'webrtc' | 'llhls' | 'hls';
  file: string;
  label: string;
}

/** Live sources in preference order: WebRTC (sub-second) first, LL-HLS as the fallback. */
export function liveSources(playback: Pick<Playback, 'webrtc' | 'llhls'>): PlayerSource[] {
  return [
    { type: 'webrtc', file: playback.webrtc, label: 'WebRTC' },
    { type: 'llhls', file: playback.llhls, label: 'LL-HLS' },
  ];
}

export function vodSources(hls: string): PlayerSource[] {
  return [{ type: 'hls', file: hls, label: 'HLS' }];
}
