// A stand-in for OME's REST API on 127.0.0.1: answers like OME 0.20 (the envelopes in
// test/fixtures/ome/rest-api), checks Basic auth the way OME does, records every request, and can
// be "down" (every connection is reset) to exercise retries.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/ome/rest-api');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

export interface SeenRequest {
  method: string;
  url: string;
  auth: string | undefined;
  at: number;
  answered: number | 'reset';
}

export class OmeRestStandIn {
  readonly seen: SeenRequest[] = [];
  /** Stream names OME "has" (DELETE of one answers 200 and removes it; others 404). */
  readonly streams = new Set<string>();
  down = false;
  /** Viewer connections per publisher that the stats of a stream report (e.g. { webrtc: 3 }). */
  readonly connections = new Map<string, Record<string, number>>();
  private server!: Server;
  url = '';

  constructor(readonly accessToken = 'ome-access-token') {}

  get expectedAuth(): string {
    return `Basic ${Buffer.from(this.accessToken, 'utf8').toString('base64')}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const entry: SeenRequest = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, at: Date.now(), answered: 'reset' };
      this.seen.push(entry);
      if (this.down) return void req.socket.destroy();
      const send = (status: number, body: string) => {
        entry.answered = status;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(body);
      };
      if (req.headers.authorization !== this.expectedAuth) return send(401, '{"message":"[HTTP] Authorization header is required to call API (401)","statusCode":401}');
      const list = /^\/v1\/vhosts\/default\/apps\/app\/streams$/.exec(req.url ?? '');
      if (list && req.method === 'GET') return send(200, JSON.stringify({ message: 'OK', response: [...this.streams], statusCode: 200 }));
      const one = /^\/v1\/vhosts\/default\/apps\/app\/streams\/([^/?]+)$/.exec(req.url ?? '');
      const stats = /^\/v1\/stats\/current\/vhosts\/default\/apps\/app\/streams\/([^/?]+)$/.exec(req.url ?? '');
      if (stats && req.method === 'GET') {
        const name = decodeURIComponent(stats[1]!);
        if (!this.streams.has(name)) return send(404, fixture('get-stream-stream4-original-name-404.json').replace('stream4', name));
        // The captured stats of stream1, with the viewer connections a test sets.
        const body = JSON.parse(fixture('get-stats-stream1.json')) as { response: { connections: Record<string, number> } };
        Object.assign(body.response.connections, this.connections.get(name) ?? {});
        return send(200, JSON.stringify(body));
      }
      if (one && req.method === 'GET') {
        const name = decodeURIComponent(one[1]!);
        if (!this.streams.has(name)) return send(404, fixture('get-stream-stream4-original-name-404.json').replace('stream4', name));
        return send(200, fixture('get-stream-stream1-rtmp.json').replaceAll('"stream1"', JSON.stringify(name)));
      }
      if (one && req.method === 'DELETE') {
        const name = decodeURIComponent(one[1]!);
        if (!this.streams.delete(name)) return send(404, fixture('get-stream-stream4-original-name-404.json').replace('stream4', name));
        return send(200, fixture('delete-stream-ok.json'));
      }
      send(404, fixture('get-stream-stream4-original-name-404.json'));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  deletes(stream?: string): SeenRequest[] {
    return this.seen.filter((s) => s.method === 'DELETE' && (!stream || s.url.endsWith(`/${stream}`)));
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
