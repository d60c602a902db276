// Stands in for OME's REST API (port 8081), which the backend asks for stream stats. It answers with
// the payloads captured from OME 0.20 (e2e/fixtures/get-stream-*.json, get-stats-*.json), renamed to
// the stream the test made live; the viewer counts are set by the test.
import { readFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const load = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8')) as Record<string, unknown>;

export interface FakeOmeApi {
  url: string;
  accessToken: string;
  /** Streams OME has right now (the test adds one before the publish admission, removes it after closing). */
  live: Set<string>;
  viewers: { webrtc: number; llhls: number };
  /** When true every call answers 500, like an OME in trouble. */
  down: boolean;
  /** Push tasks (restream outputs) by id: `pushing` while their stream is live, `ready` otherwise. */
  pushes: Map<string, { id: string; streamName: string; url: string }>;
  close(): Promise<void>;
}

export async function startFakeOmeApi(accessToken: string): Promise<FakeOmeApi> {
  const streamInfo = load('get-stream-stream1-rtmp.json');
  const streamStats = load('get-stats-stream1.json');
  const state = { live: new Set<string>(), viewers: { webrtc: 0, llhls: 0 }, down: false };
  const pushes = new Map<string, { id: string; streamName: string; url: string }>();
  // Push actions (docs/rest-api/v1/virtualhost/application/push.md): POST with a JSON body; the
  // envelope is the one OME 0.20 answers with. The full shapes are in backend/test/support/fake-ome-push.ts.
  const task = (p: { id: string; streamName: string; url: string }) => ({
    id: p.id, state: state.live.has(p.streamName) ? 'pushing' : 'ready', vhost: 'default', app: 'app',
    stream: { name: p.streamName, trackIds: [], variantNames: [] }, protocol: 'rtmp', url: p.url, streamKey: '',
  });
  const pushAction = (req: http.IncomingMessage, action: string, send: (status: number, body: unknown) => void) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const b = (raw ? JSON.parse(raw) : {}) as { id?: string; stream?: { name?: string }; url?: string };
      if (action === 'startPush') {
        if (pushes.has(b.id ?? '')) return send(400, { statusCode: 400, message: '[HTTP] Duplicate ID (400)' });
        const p = { id: String(b.id), streamName: String(b.stream?.name ?? ''), url: String(b.url ?? '') };
        pushes.set(p.id, p);
        return send(200, { statusCode: 200, message: 'OK', response: task(p) });
      }
      if (action === 'stopPush') {
        return pushes.delete(b.id ?? '') ? send(200, { statusCode: 200, message: 'OK' }) : send(404, { statusCode: 404, message: `[HTTP] Could not find id '${b.id}': [default/app] (404)` });
      }
      return send(200, { statusCode: 200, message: 'OK', response: [...pushes.values()].map(task) });
    });
  };
  const expectedAuth = `Basic ${Buffer.from(accessToken).toString('base64')}`;

  const server: Server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== expectedAuth) return send(401, { statusCode: 401, message: 'Unauthorized' });
    if (state.down) return send(500, { statusCode: 500, message: 'Internal Server Error' });
    const url = req.url ?? '';
    const action = /^\/v1\/vhosts\/default\/apps\/app:(startPush|stopPush|pushes)$/.exec(url);
    if (action && req.method === 'POST') return pushAction(req, action[1]!, send);
    const list = /^\/v1\/vhosts\/default\/apps\/app\/streams$/.exec(url);
    if (list) return send(200, { statusCode: 200, message: 'OK', response: [...state.live] });
    const info = /^\/v1\/vhosts\/default\/apps\/app\/streams\/([^/?]+)$/.exec(url);
    const stats = /^\/v1\/stats\/current\/vhosts\/default\/apps\/app\/streams\/([^/?]+)$/.exec(url);
    const name = decodeURIComponent((info ?? stats)?.[1] ?? '');
    if (!name || !state.live.has(name)) return send(404, { statusCode: 404, message: `Could not find the stream: [default/app/${name}]` });
    if (info) {
      const body = structuredClone(streamInfo) as { response: { name: string } };
      body.response.name = name;
      return send(200, body);
    }
    const body = structuredClone(streamStats) as { response: { connections: Record<string, number>; lastUpdatedTime: string } };
    body.response.connections.webrtc = state.viewers.webrtc;
    body.response.connections.llhls = state.viewers.llhls;
    body.response.lastUpdatedTime = new Date().toISOString().replace('Z', '+00:00');
    return send(200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    get live() {
      return state.live;
    },
    get viewers() {
      return state.viewers;
    },
    pushes,
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
