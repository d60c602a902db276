import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setSession } from '../../api';
import { OutputsPanel } from './OutputsPanel';
import { apiError, fakeJwt, installFakeFetch, json, USER } from '../../test/fakeFetch';

afterEach(() => vi.unstubAllGlobals());

const output = (over: Record<string, unknown> = {}) => ({
  id: 'o1', streamId: 's1', name: 'YouTube', url: 'rtmps://a.rtmps.youtube.com:443/live2', protocol: 'rtmp', streamKeyLast4: 'x9z2', enabled: true, rendition: 'source',
  state: 'active', error: null, nextAttemptAt: null, stateChangedAt: '2026-12-04T07:00:00Z', createdAt: '2026-12-04T07:00:00Z', updatedAt: '2026-12-04T07:00:00Z', ...over,
});

describe('OutputsPanel', () => {
  it('lists destinations with their live state, the error OME gave, and only the last 4 characters of the key', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'GET /api/streams/s1/outputs': () => json(200, { outputs: [output(), output({ id: 'o2', name: 'Twitch', state: 'error', error: 'OME refused the push (400): Could not parse url', nextAttemptAt: '2026-12-04T07:01:00Z' })] }),
    });
    render(<OutputsPanel streamId="s1" onAir />);
    const yt = await screen.findByTestId('output-o1');
    expect(yt).toHaveTextContent('Active');
    expect(yt).toHaveTextContent('key ••••x9z2');
    const tw = screen.getByTestId('output-o2');
    expect(tw).toHaveTextContent('Error');
    expect(tw).toHaveTextContent('OME refused the push (400): Could not parse url');
    expect(tw).toHaveTextContent('retrying at');
  });

  it('the toggle stops a destination at once (PATCH enabled:false) and shows the answer', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const fake = installFakeFetch({
      'GET /api/streams/s1/outputs': () => json(200, { outputs: [output()] }),
      'PATCH /api/streams/s1/outputs/o1': () => json(200, { output: output({ enabled: false, state: 'stopped' }) }),
    });
    render(<OutputsPanel streamId="s1" onAir />);
    fireEvent.click(await screen.findByRole('switch', { name: 'Stop YouTube' }));
    await waitFor(() => expect(screen.getByTestId('output-o1')).toHaveTextContent('Stopped'));
    expect(fake.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false });
  });

  it('adds a Twitch destination from its preset, and shows the field the server refused', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    let refuse = true;
    const fake = installFakeFetch({
      'GET /api/streams/s1/outputs': () => json(200, { outputs: [] }),
      'POST /api/streams/s1/outputs': () =>
        refuse
          ? apiError(400, 'output_url_not_allowed', 'Outputs may not reach this host: 10.0.0.1 is a private-network address', [{ path: 'url', message: '10.0.0.1 is a private-network address' }])
          : json(201, { output: output({ id: 'o3', name: 'Twitch', url: 'rtmps://live.twitch.tv:443/app', state: 'idle' }) }),
    });
    render(<OutputsPanel streamId="s1" onAir={false} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add destination' }));
    fireEvent.click(screen.getByLabelText('Twitch'));
    expect(screen.getByLabelText('Server URL')).toHaveValue('rtmps://live.twitch.tv:443/app');
    fireEvent.change(screen.getByLabelText('Stream key'), { target: { value: 'live_123456789_abcdef' } });
    // The header button and the form's submit button share the label; the form's is the last one.
    fireEvent.click(screen.getAllByRole('button', { name: 'Add destination' }).at(-1)!);
    expect(await screen.findByText('10.0.0.1 is a private-network address')).toBeInTheDocument();
    refuse = false;
    fireEvent.click(screen.getAllByRole('button', { name: 'Add destination' }).at(-1)!);
    expect(await screen.findByTestId('output-o3')).toHaveTextContent('Twitch');
    expect(fake.calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ name: 'Twitch', url: 'rtmps://live.twitch.tv:443/app', streamKey: 'live_123456789_abcdef', rendition: 'source' });
  });
});
