// A minimal HTTP/1.1 keep-alive client for load generation: a pool of sockets, one request in flight
// per socket, requests written as one prebuilt buffer, answers parsed only as far as status line,
// Content-Length and body. node:http's client costs several times more CPU per request, and the load
// generator shares the machine's cores with the server it measures. Only for our own servers' answers
// (Content-Length bodies, never chunked).
import net from 'node:net';

export interface RawAnswer {
  status: number;
  body: string;
}

interface Pending {
  data: Buffer;
  resolve: (a: RawAnswer) => void;
  reject: (e: Error) => void;
}

class Conn {
  private buf: Buffer = Buffer.alloc(0);
  private current: Pending | null = null;
  readonly socket: net.Socket;

  constructor(port: number, private readonly onIdle: (c: Conn) => void, private readonly onDead: (c: Conn) => void) {
    this.socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    let dead = false;
    const fail = (e: Error) => {
      if (dead) return;
      dead = true;
      this.current?.reject(e);
      this.current = null;
      this.onDead(this);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('socket closed')));
  }

  send(p: Pending): void {
    this.current = p;
    this.socket.write(p.data);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const length = m ? Number(m[1]) : 0;
    if (this.buf.length < end + 4 + length) return;
    const body = this.buf.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buf = this.buf.subarray(end + 4 + length);
    const p = this.current;
    this.current = null;
    p?.resolve({ status, body });
    this.onIdle(this);
  }
}

export class RawHttpPool {
  private readonly idle: Conn[] = [];
  private readonly queue: Pending[] = [];
  private open = 0;

  constructor(
    private readonly port: number,
    private readonly size: number,
  ) {}

  /** POSTs `body` to `path`; `headers` are written as given (one `name: value` per entry). */
  post(path: string, body: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
    let head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    const data = Buffer.from(`${head}\r\n${body}`);
    return new Promise((resolve, reject) => {
      const p = { data, resolve, reject };
      const c = this.idle.pop() ?? this.connect();
      if (c) c.send(p);
      else this.queue.push(p);
    });
  }

  private connect(): Conn | null {
    if (this.open >= this.size) return null;
    this.open++;
    return new Conn(
      this.port,
      (c) => {
        const next = this.queue.shift();
        if (next) c.send(next);
        else this.idle.push(c);
      },
      (c) => {
        this.open--;
        const i = this.idle.indexOf(c);
        if (i >= 0) this.idle.splice(i, 1);
      },
    );
  }

  close(): void {
    for (const c of this.idle) c.socket.destroy();
  }
}
