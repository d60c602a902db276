// The VOD quality menu's choices: hls.js levels (as OvenPlayer lists them) named after the VOD's
// renditions. Pure. hls.js orders levels by bitrate, the API lists renditions tallest first: a level
// is matched to the rendition with its bandwidth (BANDWIDTH = hls.js bitrate), else its height.
import type { OvenPlayerQualityLevel } from 'ovenplayer';
import type { VodRendition } from '../../api';
import { formatBitrate } from '../../utils/format';

export interface QualityChoice {
  /** hls.js level index (OvenPlayer's quality index). */
  index: number;
  label: string;
  height: number;
}

function nameOf(level: OvenPlayerQualityLevel, renditions: readonly VodRendition[]): string | null {
  const byBandwidth = renditions.find((r) => r.bandwidth === level.bitrate);
  const r = byBandwidth ?? renditions.find((x) => x.height === level.height && x.width === level.width);
  if (!r) return null;
  return r.name === 'source' ? `Source (${r.height ?? level.height}p)` : r.name;
}

/** Tallest first, each labelled by its rendition name and bit rate ("480p · 1.3 Mbps"). */
export function qualityChoices(levels: readonly OvenPlayerQualityLevel[], renditions: readonly VodRendition[]): QualityChoice[] {
  return levels
    .map((l) => ({ index: l.index, height: l.height, label: `${nameOf(l, renditions) ?? `${l.height}p`} · ${formatBitrate(l.bitrate)}` }))
    .sort((a, b) => b.height - a.height || b.index - a.index);
}
