// Stands in for OME's REST API Push actions, answering with the shapes OME documents and sends:
//  - envelope `{"statusCode":200,"message":"OK","response":…}` as OME 0.20.0 really answers
//    (test/fixtures/ome/rest-api/get-streams-list.json; recording/post-startRecord.json shows the same
//    envelope for the sibling app actions);
//  - startPush 200 body: docs/rest-api/v1/virtualhost/application/push.md, "Start Push Publishing" →
//    Responses → 200 (`response` is the task with `state: "ready"` until the stream exists);
//  - startPush refusal: push.md lists 400 "Invalid request" and 409 "duplicate ID"; OME 0.20's
//    app_actions_controller.cpp answers every StartPush error (duplicate id included) with 400 and the
//    error message, in the error envelope of push.md's 404 example: `{"message":"[HTTP] … (400)","statusCode":400}`;
//  - stopPush: push.md, "Stop Push Publishing" → 200 `{"statusCode":200,"message":"OK"}`, 404 for an unknown id
//    ("Could not find id '<id>': [vhost/app]", app_actions_controller.cpp OnPostStopPush);
//  - pushes: push.md, "Get Push Publishing State" → 200, `response` a JSON array of tasks;
//  - states: push.md, "State of Push Publishing" (ready, connecting, pushing, stopping, stopped, error);
//  - 401 without the right `Authorization: Basic base64(AccessToken)` (push.md, 401 body).
// Like OME (publishers/push/push_application.cpp), a push waits in `ready` while its stream is not on
// OME, goes `pushing` once it is, and stays registered until stopPush.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

export interface FakePush {
  id: string;
  state: string;
  stream: { name: string; trackIds: number[]; variantNames: string[] };
  protocol: string;
  url: string;
  streamKey: string;
}

const APP = '/v1/vhosts/default/apps/app';

export class FakeOmePush {
  private server: Server | null = null;
  url = '';
  readonly requests: RecordedRequest[] = [];
  readonly pushes = new Map<string, FakePush>();
  /** Streams OME has (a publisher is connected): their pushes are `pushing`. */
  readonly live = new Set<string>();
  /** Destination URLs that refuse the connection: their pushes go to `error`. */
  readonly failingUrls = new Set<string>();
  /** When set, the next startPush calls are refused with 400 and this message. */
  refuseStart: string | null = null;
  /** Answer 500 to everything (OME in trouble). */
  down = false;

  constructor(private readonly accessToken: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** OME restarted: every push task is gone (OME keeps them in memory only). */
  restart(): void {
    this.pushes.clear();
  }

  /** Requests of one action; with `outputId`, only those about that output's pushes (`ocp-<id>-n`). */
  of(action: 'startPush' | 'stopPush' | 'pushes', outputId?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === `${APP}:${action}` && (!outputId || String((r.body as { id?: string } | null)?.id ?? '').startsWith(`ocp-${outputId}-`)));
  }

  private stateOf(p: FakePush): string {
    if (!this.live.has(p.stream.name)) return 'ready';
    return this.failingUrls.has(p.url) ? 'error' : 'pushing';
  }

  private task(p: FakePush) {
    return {
      id: p.id, state: this.stateOf(p), vhost: 'default', app: 'app', stream: p.stream, protocol: p.protocol, url: p.url, streamKey: p.streamKey,
      sentBytes: 0, sentTime: 0, sequence: 0, totalsentBytes: 0, totalsentTime: 0,
      createdTime: '2026-12-04T07:00:00.000+00:00', startTime: '1970-01-01T00:00:00.000+00:00', finishTime: '1970-01-01T00:00:00.000+00:00', isConfig: false,
    };
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      /* kept raw */
    }
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (this.down) return send(500, { message: '[HTTP] Internal Server Error (500)', statusCode: 500 });
    if (req.headers.authorization !== `Basic ${Buffer.from(this.accessToken).toString('base64')}`) {
      res.setHeader('WWW-Authenticate', 'Basic realm="OvenMediaEngine"');
      return send(401, { message: '[HTTP] Authorization header is required to call API (401)', statusCode: 401 });
    }
    if (req.method !== 'POST' || !path.startsWith(`${APP}:`)) return send(404, { message: `[HTTP] Could not find the resource: ${path} (404)`, statusCode: 404 });
    const b = (body ?? {}) as Record<string, unknown>;
    const action = path.slice(APP.length + 1);
    if (action === 'startPush') {
      if (this.refuseStart) return send(400, { message: `[HTTP] ${this.refuseStart} (400)`, statusCode: 400 });
      const id = String(b.id ?? '');
      if (this.pushes.has(id)) return send(400, { message: '[HTTP] Duplicate ID (400)', statusCode: 400 });
      const s = (b.stream ?? {}) as { name?: string; variantNames?: string[] };
      const p: FakePush = { id, state: 'ready', stream: { name: String(s.name ?? ''), trackIds: [], variantNames: s.variantNames ?? [] }, protocol: String(b.protocol), url: String(b.url), streamKey: String(b.streamKey ?? '') };
      this.pushes.set(id, p);
      return send(200, { statusCode: 200, message: 'OK', response: this.task(p) });
    }
    if (action === 'stopPush') {
      const id = String(b.id ?? '');
      if (!this.pushes.delete(id)) return send(404, { message: `[HTTP] Could not find id '${id}': [default/app] (404)`, statusCode: 404 });
      return send(200, { statusCode: 200, message: 'OK' });
    }
    if (action === 'pushes') return send(200, { statusCode: 200, message: 'OK', response: [...this.pushes.values()].map((p) => this.task(p)) });
    return send(404, { message: '[HTTP] Could not find the action (404)', statusCode: 404 });
  }
}
