import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { OvenPlayerOptions } from 'ovenplayer';
import { Player } from './Player';
import { liveSources } from './sources';

const beacons = vi.hoisted(() => ({ attached: [] as { player: unknown; target: unknown; detach: ReturnType<typeof vi.fn> }[] }));
vi.mock('./beacons', () => ({
  attachBeacons: (player: unknown, target: unknown) => {
    const detach = vi.fn();
    beacons.attached.push({ player, target, detach });
    return detach;
  },
}));

// OvenPlayer needs a real browser (MediaSource, WebRTC); here only its contract with our wrapper is checked.
const created: { container: HTMLElement; options: OvenPlayerOptions; remove: ReturnType<typeof vi.fn>; emit: (e: string) => void }[] = [];
vi.mock('./loadOvenPlayer', () => ({
  loadOvenPlayer: () =>
    Promise.resolve((container: HTMLElement, options: OvenPlayerOptions) => {
      const handlers = new Map<string, (d: unknown) => void>();
      const entry = { container, options, remove: vi.fn(), emit: (e: string) => handlers.get(e)?.(null) };
      created.push(entry);
      return { on: (e: string, cb: (d: unknown) => void) => handlers.set(e, cb), remove: entry.remove };
    }),
}));

afterEach(() => {
  created.length = 0;
  beacons.attached.length = 0;
});

describe('Player', () => {
  const sources = liveSources({ webrtc: 'ws://h:3333/app/s', llhls: 'http://h:3333/app/s/llhls.m3u8' });

  it('creates OvenPlayer with the sources (WebRTC first), muted autostart, and exposes them in the DOM', async () => {
    render(<Player sources={sources} title="Show" />);
    const wrapper = screen.getByTestId('player');
    expect(JSON.parse(wrapper.getAttribute('data-sources')!)).toEqual(sources);
    await vi.waitFor(() => expect(wrapper).toHaveAttribute('data-ready', 'true'));
    expect(created).toHaveLength(1);
    expect(created[0]!.options).toMatchObject({ sources, autoStart: true, mute: true, autoFallback: true });
    expect(wrapper.contains(created[0]!.container)).toBe(true);
  });

  it('removes the player on unmount and builds a new one when the sources change', async () => {
    const { rerender, unmount } = render(<Player sources={sources} title="Show" />);
    await vi.waitFor(() => expect(created).toHaveLength(1));
    const other = liveSources({ webrtc: 'ws://h/app/s?token=2', llhls: 'http://h/app/s/llhls.m3u8?token=2' });
    rerender(<Player sources={other} title="Show" />);
    await vi.waitFor(() => expect(created).toHaveLength(2));
    expect(created[0]!.remove).toHaveBeenCalledOnce();
    expect(created[0]!.container.isConnected).toBe(false);
    unmount();
    expect(created[1]!.remove).toHaveBeenCalledOnce();
  });

  it('offers a retry after OvenPlayer reports an error', async () => {
    render(<Player sources={sources} title="Show" />);
    await vi.waitFor(() => expect(created).toHaveLength(1));
    act(() => created[0]!.emit('error'));
    await userEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    await vi.waitFor(() => expect(created).toHaveLength(2));
    expect(created[0]!.remove).toHaveBeenCalledOnce();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('with autoRetryMs starts again by itself after an error', async () => {
    render(<Player sources={sources} title="Show" autoRetryMs={50} />);
    await vi.waitFor(() => expect(created).toHaveLength(1));
    act(() => created[0]!.emit('error'));
    await vi.waitFor(() => expect(created).toHaveLength(2));
    expect(created[0]!.remove).toHaveBeenCalledOnce();
  });

  it('reports beacons for the player it built when given a target, and stops with it', async () => {
    const target = { kind: 'live' as const, streamId: 's1', sessionId: 'b1' };
    const { unmount } = render(<Player sources={sources} title="Show" beacon={target} />);
    await vi.waitFor(() => expect(beacons.attached).toHaveLength(1));
    expect(beacons.attached[0]!.target).toEqual(target);
    unmount();
    expect(beacons.attached[0]!.detach).toHaveBeenCalledOnce();
    // Without a target (the owner's preview) nothing is reported.
    render(<Player sources={sources} title="Show" />);
    await vi.waitFor(() => expect(created).toHaveLength(2));
    expect(beacons.attached).toHaveLength(1);
  });
});
