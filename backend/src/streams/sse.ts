// Server-Sent Events of stream status for the dashboard. Status changes arrive from any replica
// through the Redis hub; each connection filters what its user may see. Every event carries
// `reconnectDeadline`: while `reconnecting`, when the window closes (the dashboard counts down to
// it); null in every other status.
import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { HealthEvent, StreamEventsHub } from './events.js';

export const HEARTBEAT_MS = 15_000;

export interface StatusSnapshot {
  streamId: string;
  status: string;
  at: string;
  reconnectDeadline?: string | null;
}

export function openEventStream(
  req: Request,
  res: Response,
  hub: StreamEventsHub,
  initial: StatusSnapshot[],
  visible: (e: { streamId: string; ownerId: string }) => boolean,
  /** The caller's account: the stream ends when it is disabled or deleted (any replica). */
  userId: string | undefined,
  /** The process's open event streams, which its shutdown ends (AppContext.eventStreams). */
  open: Set<ServerResponse>,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx and similar proxies must not buffer the stream.
    'x-accel-buffering': 'no',
  });
  const send = (e: StatusSnapshot) =>
    res.write(
      `event: stream.status\ndata: ${JSON.stringify({ streamId: e.streamId, status: e.status, at: e.at, reconnectDeadline: e.status === 'reconnecting' ? (e.reconnectDeadline ?? null) : null })}\n\n`,
    );
  const sendHealth = (e: HealthEvent) => res.write(`event: stream.health\ndata: ${JSON.stringify({ streamId: e.streamId, alerts: e.alerts })}\n\n`);
  res.write('retry: 3000\n\n');
  initial.forEach(send);
  const off = hub.listen((msg) => {
    if (msg.kind === 'status' && visible(msg)) send(msg);
    if (msg.kind === 'health' && visible(msg)) sendHealth(msg);
    if (msg.kind === 'account' && userId !== undefined && msg.userId === userId) {
      close();
      res.end();
    }
  });
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  open.add(res);
  function close() {
    clearInterval(heartbeat);
    off();
    open.delete(res);
  }
  req.on('close', close);
  res.on('error', close);
}
