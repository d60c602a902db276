import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { OvenPlayerInstance, OvenPlayerQualityLevel } from 'ovenplayer';
import { describe, expect, it, vi } from 'vitest';
import type { VodRendition } from '../../api';
import { QualityMenu } from './QualityMenu';
import { qualityChoices } from './quality';

const renditions: VodRendition[] = [
  { name: 'source', width: 1280, height: 720, bandwidth: 3_100_000, averageBandwidth: 2_600_000, codecs: 'avc1.64001F,mp4a.40.2', frameRate: 30 },
  { name: '480p', width: 854, height: 480, bandwidth: 1_300_000, averageBandwidth: 1_100_000, codecs: 'avc1.64001E,mp4a.40.2', frameRate: 30 },
  { name: '360p', width: 640, height: 360, bandwidth: 700_000, averageBandwidth: 600_000, codecs: 'avc1.64001E,mp4a.40.2', frameRate: 30 },
];
// hls.js orders its levels by bitrate, lowest first.
const levels: OvenPlayerQualityLevel[] = [
  { index: 0, bitrate: 700_000, width: 640, height: 360, label: '640x360' },
  { index: 1, bitrate: 1_300_000, width: 854, height: 480, label: '854x480' },
  { index: 2, bitrate: 3_100_000, width: 1280, height: 720, label: '1280x720' },
];

function fakePlayer() {
  const handlers = new Map<string, (d: unknown) => void>();
  let ready = false;
  const player = {
    on: (e: string, cb: (d: unknown) => void) => handlers.set(e, cb),
    remove: vi.fn(),
    getQualityLevels: () => (ready ? levels : []),
    getCurrentQuality: () => 0,
    setCurrentQuality: vi.fn((i: number) => i),
    isAutoQuality: () => true,
    setAutoQuality: vi.fn(),
  } satisfies OvenPlayerInstance;
  return {
    player,
    manifest: () => {
      ready = true;
      handlers.get('stateChanged')?.({});
    },
    switched: (currentQuality: number, isAuto: boolean) => handlers.get('qualityLevelChanged')?.({ currentQuality, isAuto, type: 'render' }),
  };
}

describe('VOD quality menu', () => {
  it('names hls.js levels after the renditions, tallest first', () => {
    expect(qualityChoices(levels, renditions).map((c) => [c.index, c.label])).toEqual([
      [2, 'Source (720p) · 3.1 Mbps'],
      [1, '480p · 1.3 Mbps'],
      [0, '360p · 700 kbps'],
    ]);
    // A level no rendition matches (older API data) is named by its height.
    expect(qualityChoices([{ index: 0, bitrate: 1, width: 2, height: 240, label: '' }], renditions)[0]!.label).toBe('240p · 1 bps');
  });

  it('offers Auto and each rendition once the manifest is read; pins a level through the player, and back to Auto', async () => {
    const f = fakePlayer();
    render(<QualityMenu player={f.player} renditions={renditions} />);
    expect(screen.queryByTestId('quality-menu')).toBeNull(); // no levels yet
    act(() => f.manifest());
    const select = await screen.findByRole('combobox', { name: 'Quality' });
    expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Auto', 'Source (720p) · 3.1 Mbps', '480p · 1.3 Mbps', '360p · 700 kbps']);
    // hls.js picked a level by bandwidth: Auto says which.
    act(() => f.switched(1, true));
    expect(select.querySelector('option[value="auto"]')!.textContent).toBe('Auto (480p · 1.3 Mbps)');
    await userEvent.selectOptions(select, '360p · 700 kbps');
    expect(f.player.setCurrentQuality).toHaveBeenCalledWith(0);
    expect(screen.getByTestId('quality-menu')).toHaveAttribute('data-auto', 'false');
    await userEvent.selectOptions(select, 'Auto');
    expect(f.player.setAutoQuality).toHaveBeenCalledWith(true);
    expect(screen.getByTestId('quality-menu')).toHaveAttribute('data-auto', 'true');
  });

  it('shows nothing for a single-rendition VOD', () => {
    const f = fakePlayer();
    f.player.getQualityLevels = () => [levels[0]!];
    render(<QualityMenu player={f.player} renditions={[renditions[2]!]} />);
    act(() => f.manifest());
    expect(screen.queryByTestId('quality-menu')).toBeNull();
  });
});
