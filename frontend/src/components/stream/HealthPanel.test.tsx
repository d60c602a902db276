import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import type { HealthAlert } from '../../api';
import { HealthPanel } from './HealthPanel';

const alert = (over: Partial<HealthAlert>): HealthAlert => ({
  id: 'a1', code: 'INGRESS_HAS_BFRAME', severity: 'critical', title: 'Your encoder sends B-frames', fix: 'Set bframes=0 in OBS.',
  description: 'There are B-Frames in the ingress stream.', sessionId: 's1', raisedAt: '2026-12-03T10:00:00.000Z', clearedAt: null, ...over,
});

describe('HealthPanel', () => {
  it('shows each current problem with its fix, critical ones as errors', () => {
    render(<HealthPanel onAir current={[alert({}), alert({ id: 'a2', code: 'INGRESS_BITRATE_LOW', severity: 'warning', title: 'Your upload bitrate is low', fix: 'Raise the bitrate.' })]} history={[]} />);
    const items = screen.getAllByTestId('health-alert');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveClass('banner-error');
    expect(within(items[0]!).getByText('Your encoder sends B-frames')).toBeInTheDocument();
    expect(items[0]).toHaveTextContent('Set bframes=0 in OBS.');
    expect(items[1]).toHaveClass('banner-warning');
  });

  it('says all is well on air, and lists earlier problems', () => {
    render(<HealthPanel onAir current={[]} history={[alert({ clearedAt: '2026-12-03T10:05:00.000Z' })]} />);
    expect(screen.getByText('No problems reported by the media server.')).toBeInTheDocument();
    expect(screen.getByText('Earlier problems (1)')).toBeInTheDocument();
    expect(screen.queryByTestId('health-alert')).toBeNull();
  });
});
