// What a creator should change, per OME alert code (pure). Written for OBS users; the codes are
// OME's (docs/alert.md, "Messages"). Unknown codes fall back to OME's own description.
export interface Advice {
  severity: 'warning' | 'critical';
  title: string;
  fix: string;
}

const ADVICE: Record<string, Advice> = {
  INGRESS_HAS_BFRAME: {
    severity: 'critical',
    title: 'Your encoder sends B-frames',
    fix: 'WebRTC viewers stutter with B-frames. In OBS → Settings → Output → Output Mode: Advanced → Streaming, set the x264 options to "bframes=0" (or Profile: baseline), or with NVENC set "Max B-frames" to 0.',
  },
  INGRESS_LONG_KEY_FRAME_INTERVAL: {
    severity: 'critical',
    title: 'Keyframes are too far apart',
    fix: 'Set the keyframe interval to 2 s in OBS → Settings → Output → Output Mode: Advanced → Streaming → Keyframe Interval. Long intervals delay viewers joining and break low-latency playback.',
  },
  INGRESS_BITRATE_LOW: {
    severity: 'warning',
    title: 'Your upload bitrate is low',
    fix: 'Raise the video bitrate in OBS → Settings → Output (about 4500-6000 Kbps for 1080p), or check your upload: OBS → Stats shows dropped frames when the network cannot keep up.',
  },
  INGRESS_BITRATE_HIGH: {
    severity: 'warning',
    title: 'Your upload bitrate is higher than needed',
    fix: 'Lower the video bitrate in OBS → Settings → Output to about 6000 Kbps: more is not shown to viewers and costs your upload.',
  },
  INGRESS_FRAMERATE_LOW: {
    severity: 'warning',
    title: 'The frame rate is low',
    fix: 'Set OBS → Settings → Video → Common FPS Values to 30 or 60; if it is set, your computer may be overloaded (OBS → Stats → "Frames missed due to rendering lag").',
  },
  INGRESS_FRAMERATE_HIGH: {
    severity: 'warning',
    title: 'The frame rate is higher than supported',
    fix: 'Set OBS → Settings → Video → Common FPS Values to 60 or lower.',
  },
  INGRESS_WIDTH_LARGE: { severity: 'warning', title: 'The picture is wider than 1920 pixels', fix: 'Set OBS → Settings → Video → Output (Scaled) Resolution to 1920x1080 or lower.' },
  INGRESS_HEIGHT_LARGE: { severity: 'warning', title: 'The picture is taller than 1080 pixels', fix: 'Set OBS → Settings → Video → Output (Scaled) Resolution to 1920x1080 or lower.' },
  INGRESS_WIDTH_SMALL: { severity: 'warning', title: 'The picture is narrow', fix: 'Set OBS → Settings → Video → Output (Scaled) Resolution to at least 1280x720.' },
  INGRESS_HEIGHT_SMALL: { severity: 'warning', title: 'The picture is small', fix: 'Set OBS → Settings → Video → Output (Scaled) Resolution to at least 1280x720.' },
  INGRESS_SAMPLERATE_LOW: { severity: 'warning', title: 'The audio sample rate is low', fix: 'Set OBS → Settings → Audio → Sample Rate to 48 kHz.' },
  INGRESS_SAMPLERATE_HIGH: { severity: 'warning', title: 'The audio sample rate is high', fix: 'Set OBS → Settings → Audio → Sample Rate to 48 kHz.' },
};

export function adviceFor(code: string, description: string): Advice {
  return ADVICE[code] ?? { severity: 'warning', title: description || code, fix: 'Check your encoder settings against the recommended ones on this page.' };
}
