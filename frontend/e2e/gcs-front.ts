// Stands between the GCS test server (vod-uploader/test/support/gcs-test-server.ts) and its clients.
// Two uses, one instance each:
//  - in front of the worker: `hold()` parks its requests until `release()`, so the test can see a VOD
//    in "processing" before the upload finishes (a real upload of a 4 s clip is over in a blink);
//  - as the browser's storage address (the backend's GCS_PUBLIC_ENDPOINT): answers CORS like a bucket
//    configured for web playback must, since hls.js fetches the signed segment URLs cross-origin.
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GcsFront {
  url: string;
  /** Requests forwarded so far (method and path, query left out: it holds signatures). */
  seen: string[];
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startGcsFront(target: string, opts: { cors?: boolean } = {}): Promise<GcsFront> {
  const upstream = new URL(target);
  const seen: string[] = [];
  let gate: { promise: Promise<void>; open: () => void } | null = null;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    const cors: Record<string, string> = opts.cors ? { 'access-control-allow-origin': '*' } : {};
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, { ...r.headers, ...cors });
        r.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502, cors);
      res.end();
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  };

  const server: Server = http.createServer((req, res) => {
    if (opts.cors && req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, HEAD',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '3600',
      });
      res.end();
      return;
    }
    if (gate) void gate.promise.then(() => forward(req, res));
    else forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    hold() {
      if (gate) return;
      let open!: () => void;
      const promise = new Promise<void>((r) => (open = r));
      gate = { promise, open };
    },
    release() {
      gate?.open();
      gate = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        gate?.open();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
