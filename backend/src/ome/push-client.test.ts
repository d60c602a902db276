// The Push client against the documented-shape stand-in (test/support/fake-ome-push.ts): exact
// requests, OME's refusals as typed errors, and no url/streamKey in what it returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOmePush } from '../../test/support/fake-ome-push.js';
import { omeReason, OmePushClient, OmePushRefused } from './push-client.js';
import { OmeUnreachableError } from './rest-client.js';

let ome: FakeOmePush;
let client: OmePushClient;
const opts = (over: Partial<ConstructorParameters<typeof OmePushClient>[0]> = {}) => ({ apiUrl: ome.url, accessToken: 'tok', timeoutMs: 1000, vhost: 'default', app: 'app', ...over });
beforeAll(async () => {
  ome = await new FakeOmePush('tok').start();
  client = new OmePushClient(opts());
});
afterAll(() => ome.close());

describe('OmePushClient', () => {
  it('startPush sends the documented body and returns id/state/stream only', async () => {
    const p = await client.startPush({ id: 'ocp-x-1', streamName: 's1', variantNames: ['bypass_video', 'aac_audio'], protocol: 'rtmp', url: 'rtmp://1.1.1.1/app', streamKey: 'sk' });
    expect(p).toEqual({ id: 'ocp-x-1', state: 'ready', streamName: 's1' });
    expect(ome.requests.at(-1)).toEqual({
      method: 'POST', path: '/v1/vhosts/default/apps/app:startPush', authorization: `Basic ${Buffer.from('tok').toString('base64')}`, contentType: 'application/json',
      body: { id: 'ocp-x-1', stream: { name: 's1', variantNames: ['bypass_video', 'aac_audio'] }, protocol: 'rtmp', url: 'rtmp://1.1.1.1/app', streamKey: 'sk' },
    });
    expect(await client.pushes()).toEqual([{ id: 'ocp-x-1', state: 'ready', streamName: 's1' }]);
    await expect(client.startPush({ id: 'ocp-x-1', streamName: 's1', variantNames: [], protocol: 'rtmp', url: 'rtmp://1.1.1.1/app', streamKey: 'sk' }))
      .rejects.toEqual(expect.objectContaining({ httpStatus: 400, omeMessage: 'Duplicate ID' }));
    expect(await client.stopPush('ocp-x-1')).toBe(true);
    expect(ome.requests.at(-1)).toMatchObject({ path: '/v1/vhosts/default/apps/app:stopPush', body: { id: 'ocp-x-1' } });
    expect(await client.stopPush('ocp-x-1')).toBe(false);
  });

  it('maps refusals, bad tokens, outages and garbage to typed errors', async () => {
    ome.refuseStart = 'Could not parse url';
    await expect(client.startPush({ id: 'a', streamName: 's', variantNames: [], protocol: 'srt', url: 'srt://x:1', streamKey: '' })).rejects.toBeInstanceOf(OmePushRefused);
    ome.refuseStart = null;
    await expect(new OmePushClient(opts({ accessToken: 'wrong' })).pushes()).rejects.toEqual(expect.objectContaining({ reason: 'http_401' }));
    ome.down = true;
    await expect(client.pushes()).rejects.toBeInstanceOf(OmeUnreachableError);
    ome.down = false;
    await expect(new OmePushClient(opts({ apiUrl: 'http://127.0.0.1:1' })).pushes()).rejects.toEqual(expect.objectContaining({ reason: 'ECONNREFUSED' }));
    await expect(new OmePushClient(opts({ app: 'nope' })).pushes()).rejects.toEqual(expect.objectContaining({ reason: 'http_404' }));
  });

  it('reads OME error envelopes', () => {
    expect(omeReason({ message: '[HTTP] Could not find the application: [vhost/app1] (404)', statusCode: 404 }, 404)).toBe('Could not find the application: [vhost/app1]');
    expect(omeReason('garbage', 400)).toBe('HTTP 400');
  });
});
