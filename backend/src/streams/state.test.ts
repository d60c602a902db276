import { describe, expect, it } from 'vitest';
import { nextStatus } from './state.js';

describe('stream state machine', () => {
  it('allows idle → live → ended → live', () => {
    expect(nextStatus('idle', 'publish_started')).toBe('live');
    expect(nextStatus('live', 'publish_ended')).toBe('ended');
    expect(nextStatus('ended', 'publish_started')).toBe('live');
  });
  it('refuses illegal moves', () => {
    expect(nextStatus('live', 'publish_started')).toBeNull();
    expect(nextStatus('disabled', 'publish_started')).toBeNull();
    expect(nextStatus('idle', 'publish_ended')).toBeNull();
    expect(nextStatus('ended', 'publish_ended')).toBeNull();
    expect(nextStatus('idle', 'enable')).toBeNull();
  });
  it('disables from anywhere but disabled, and enables back to idle', () => {
    for (const s of ['idle', 'live', 'ended'] as const) expect(nextStatus(s, 'disable')).toBe('disabled');
    expect(nextStatus('disabled', 'disable')).toBeNull();
    expect(nextStatus('disabled', 'enable')).toBe('idle');
  });
});
