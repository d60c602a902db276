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
  close(): Promise<void>;
}

export async function startFakeOmeApi(accessToken: string): Promise<FakeOmeApi> {
  const streamInfo = load('get-stream-stream1-rtmp.json');
  const streamStats = load('get-stats-stream1.json');
  const state = { live: new Set<string>(), viewers: { webrtc: 0, llhls: 0 }, down: false };
  const expectedAuth = `Basic ${Buffer.from(accessToken).toString('base64')}`;

  const server: Server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== expectedAuth) return send(401, { statusCode: 401, message: 'Unauthorized' });
    if (state.down) return send(500, { statusCode: 500, message: 'Internal Server Error' });
    const url = req.url ?? '';
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
