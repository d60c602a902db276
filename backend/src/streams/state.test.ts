import { describe, expect, it } from 'vitest';
import { nextStatus, onPublisherLost, reconnectDeadline, withinWindow, type StreamEvent, type StreamStatus } from './state.js';

const ALL: StreamStatus[] = ['idle', 'live', 'reconnecting', 'ended', 'disabled'];

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
  it('disables from idle, live and ended, and enables back to idle', () => {
    for (const s of ['idle', 'live', 'ended'] as const) expect(nextStatus(s, 'disable')).toBe('disabled');
    expect(nextStatus('disabled', 'disable')).toBeNull();
    expect(nextStatus('disabled', 'enable')).toBe('idle');
  });

  describe('reconnecting', () => {
    it('live → reconnecting on a lost publisher, back to live on its return, or ended when the window closes', () => {
      expect(nextStatus('live', 'publisher_lost')).toBe('reconnecting');
      expect(nextStatus('reconnecting', 'publisher_returned')).toBe('live');
      expect(nextStatus('reconnecting', 'window_expired')).toBe('ended');
      expect(nextStatus('reconnecting', 'window_cancelled')).toBe('ended');
    });
    it('a reconnecting stream is not a fresh start, nor ended by a second closing', () => {
      expect(nextStatus('reconnecting', 'publish_started')).toBeNull();
      expect(nextStatus('reconnecting', 'publish_ended')).toBeNull();
      expect(nextStatus('reconnecting', 'publisher_lost')).toBeNull();
    });
    it('only a reconnecting stream can resume or have its window closed', () => {
      const only = (e: StreamEvent) => ALL.filter((s) => nextStatus(s, e) !== null);
      expect(only('publisher_returned')).toEqual(['reconnecting']);
      expect(only('window_expired')).toEqual(['reconnecting']);
      expect(only('window_cancelled')).toEqual(['reconnecting']);
      expect(only('publisher_lost')).toEqual(['live']);
    });
    it('disable is refused while reconnecting (the window is cut short first, closing the session)', () => {
      expect(nextStatus('reconnecting', 'disable')).toBeNull();
      expect(nextStatus(nextStatus('reconnecting', 'window_cancelled')!, 'disable')).toBe('disabled');
    });
    it('window 0 ends at once; any window > 0 reconnects', () => {
      expect(onPublisherLost(0)).toBe('publish_ended');
      expect(onPublisherLost(1)).toBe('publisher_lost');
      expect(onPublisherLost(60)).toBe('publisher_lost');
    });
    it('the deadline is the drop + the window, and the deadline itself is too late', () => {
      const at = new Date('2026-12-04T04:00:00.000Z');
      const d = reconnectDeadline(at, 60);
      expect(d.toISOString()).toBe('2026-12-04T04:01:00.000Z');
      expect(withinWindow(d, new Date('2026-12-04T04:00:59.999Z'))).toBe(true);
      expect(withinWindow(d, d)).toBe(false);
      expect(withinWindow(null, at)).toBe(false);
    });
  });
});
