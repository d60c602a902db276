// Plays OvenMediaEngine's part: the AdmissionWebhooks request of OME 0.20 (shape from the captured
// fixtures), signed with X-OME-Signature = base64url(HMAC-SHA1(secret, raw body)) without padding.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Fixture {
  parsedBody: {
    client: { address: string; port: number; real_ip: string };
    request: { direction: string; protocol: string; status: string; time: string; url: string; new_url?: string };
  };
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8')) as Fixture;

export function omeSignature(secret: string, rawBody: string): string {
  return createHmac('sha1', secret).update(rawBody).digest('base64url');
}

function omeTime(d = new Date()): string {
  return d.toISOString().replace('Z', '+00:00');
}

/** Sends OME's RTMP publish admission (opening or closing) for `publishUrl` from `clientPort`. */
export async function sendRtmpAdmission(
  backendUrl: string,
  secret: string,
  status: 'opening' | 'closing',
  publishUrl: string,
  clientPort: number,
): Promise<{ status: number; body: unknown }> {
  const base = fixture(status === 'opening' ? 'rtmp-publish-opening.json' : 'rtmp-publish-closing.json').parsedBody;
  // Same key order as OME (the captured raw bodies): OME signs the bytes it sends.
  const body =
    status === 'opening'
      ? {
          client: { ...base.client, port: clientPort },
          request: { direction: base.request.direction, protocol: base.request.protocol, status, time: omeTime(), url: publishUrl },
        }
      : {
          client: { ...base.client, port: clientPort },
          request: {
            direction: base.request.direction,
            new_url: publishUrl,
            protocol: base.request.protocol,
            status,
            time: omeTime(),
            url: publishUrl,
          },
        };
  const raw = JSON.stringify(body);
  const res = await fetch(`${backendUrl}/api/ome/admission`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'OvenMediaEngine',
      'X-OME-Signature': omeSignature(secret, raw),
    },
    body: raw,
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}
