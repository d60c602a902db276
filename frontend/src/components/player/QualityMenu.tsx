import { useEffect, useState } from 'react';
import type { OvenPlayerInstance, OvenPlayerQualityLevel } from 'ovenplayer';
import type { VodRendition } from '../../api';
import { qualityChoices } from './quality';

interface Props {
  player: OvenPlayerInstance | null;
  renditions: VodRendition[];
}

/**
 * Quality of a multi-variant VOD: Auto (hls.js switches by measured bandwidth) or one rendition
 * pinned (hls.js currentLevel). Shows what is playing now, from hls.js's level switches.
 */
export function QualityMenu({ player, renditions }: Props) {
  const [levels, setLevels] = useState<OvenPlayerQualityLevel[]>([]);
  const [auto, setAuto] = useState(true);
  const [playing, setPlaying] = useState<number | null>(null);

  useEffect(() => {
    if (!player) return;
    setLevels([]);
    setPlaying(null);
    setAuto(true);
    // The levels exist once hls.js has read the master playlist: look again on the player's events.
    const refresh = () => {
      const l = player.getQualityLevels?.() ?? [];
      setLevels((prev) => (prev.length === l.length ? prev : [...l]));
    };
    player.on('ready', refresh);
    player.on('stateChanged', refresh);
    player.on('qualityLevelChanged', (data) => {
      refresh();
      const d = data as { currentQuality?: number; isAuto?: boolean } | null;
      if (typeof d?.currentQuality === 'number') setPlaying(d.currentQuality);
      if (typeof d?.isAuto === 'boolean') setAuto(d.isAuto);
    });
    refresh();
  }, [player]);

  const choices = qualityChoices(levels, renditions);
  if (choices.length < 2) return null;
  const now = choices.find((c) => c.index === playing);
  return (
    <div className="quality-menu" data-testid="quality-menu" data-auto={auto ? 'true' : 'false'} data-level={playing ?? ''}>
      <label>
        Quality{' '}
        <select
          value={auto ? 'auto' : String(playing ?? '')}
          onChange={(e) => {
            if (!player) return;
            if (e.target.value === 'auto') {
              player.setAutoQuality(true);
              setAuto(true);
            } else {
              const index = Number(e.target.value);
              player.setCurrentQuality(index);
              setAuto(false);
              setPlaying(index);
            }
          }}
        >
          <option value="auto">Auto{auto && now ? ` (${now.label})` : ''}</option>
          {choices.map((c) => (
            <option key={c.index} value={String(c.index)}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
