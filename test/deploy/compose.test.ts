// Checks docker-compose.yml, .env.example and the Dockerfiles against what the code expects: the seven
// services, their ports, volumes, health checks and start order, and every env var each service reads.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  BACKEND_PORT, FRONTEND_PORT, OME_API_PORT, OME_CONFIG_DIR, OME_PUBLIC_PORTS, RECORDINGS_DIR, SERVICES,
  WORKER_METRICS_PORT, backendEnvKeys, interpolations, workerEnvKeys,
} from './lib/expectations.js';
import { readEnvExample, readText, repoRoot } from './lib/repo.js';
import { parseXml, at, textAt, all } from './lib/xml.js';

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; interval?: string; timeout?: string; retries?: number; start_period?: string };
  user?: string;
};

const composeText = readText('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { name?: string; services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const env = readEnvExample();

const envOf = (name: string) => Object.fromEntries(Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));
const cmd = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : (v ?? ''));
/** What a `${NAME:-default}` value resolves to when .env.example is used as .env. */
function resolve(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?)([^}]*))?\}/g, (_m, n: string, op?: string, arg?: string) => {
    const v = env.get(n);
    if (op === ':-') return v ? v : (arg ?? '');
    if (op === '-') return v !== undefined ? v : (arg ?? '');
    if (op === ':?' || op === '?') {
      if (!v) throw new Error(`${n} is required by docker-compose.yml and missing from .env.example`);
      return v;
    }
    return v ?? '';
  });
}
const resolved = (name: string) => Object.fromEntries(Object.entries(envOf(name)).map(([k, v]) => [k, resolve(v)]));

function mount(service: string, target: string): { source: string; readOnly: boolean } | undefined {
  for (const v of services[service]?.volumes ?? []) {
    const [source, t, mode] = v.split(':');
    if (t === target) return { source: source!, readOnly: mode === 'ro' };
  }
  return undefined;
}

describe('compose file', () => {
  it('defines exactly the seven services of the contract', () => {
    expect(Object.keys(services).sort()).toEqual([...SERVICES].sort());
  });

  it('every service has a health check, and the Compose-spec fields are well formed', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.healthcheck, name).toBeDefined();
      const test = s.healthcheck!.test;
      expect(Array.isArray(test) ? ['CMD', 'CMD-SHELL'] : [], name).toContain(Array.isArray(test) ? test[0] : '');
      for (const k of Object.keys(s.healthcheck!)) expect(['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable']).toContain(k);
      for (const d of ['interval', 'timeout', 'start_period'] as const) {
        const v = s.healthcheck![d];
        if (v !== undefined) expect(v, `${name}.healthcheck.${d}`).toMatch(/^\d+(ms|s|m)$/);
      }
      for (const [dep, c] of Object.entries(s.depends_on ?? {})) {
        expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(c.condition);
        // A dependency can only be waited for as healthy if it has a health check.
        if (c.condition === 'service_healthy') expect(services[dep]?.healthcheck, dep).toBeDefined();
      }
      for (const p of s.ports ?? []) expect(p, `${name} port`).toMatch(/^\d+(-\d+)?:\d+(-\d+)?(\/(tcp|udp))?$/);
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/')) expect(Object.keys(compose.volumes), `${name} volume ${source}`).toContain(source);
      }
    }
  });

  it('starts in a working order: data stores healthy -> backend (migrations) healthy -> worker and frontend', () => {
    expect(services.backend!.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(services['vod-uploader']!.depends_on).toMatchObject({
      backend: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      gcs: { condition: 'service_healthy' },
    });
    expect(services.frontend!.depends_on).toMatchObject({ backend: { condition: 'service_healthy' } });
  });

  it('only references variables that .env.example defines, with the same defaults', () => {
    const missing: string[] = [];
    const drift: string[] = [];
    for (const m of interpolations(composeText)) {
      if (!env.has(m.name)) missing.push(m.name);
      else if ((m.op === ':-' || m.op === '-') && m.arg !== env.get(m.name)) drift.push(`${m.name}: compose default "${m.arg}" vs .env.example "${env.get(m.name)}"`);
    }
    expect(missing).toEqual([]);
    expect(drift).toEqual([]);
  });

  it('uses every variable of .env.example somewhere (no dead settings)', () => {
    const used = new Set(interpolations(composeText).map((m) => m.name));
    // Fixed in compose because they are wired to the topology; .env.example documents them for other setups.
    const fixedHere = new Set(['PORT', 'RECORDINGS_DIR', 'METRICS_HOST', 'METRICS_PORT']);
    expect([...env.keys()].filter((k) => !used.has(k) && !fixedHere.has(k))).toEqual([]);
  });

  it('requires the secrets instead of falling back to a default', () => {
    for (const secret of ['POSTGRES_PASSWORD', 'SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET', 'OME_WEBHOOK_SECRET', 'OME_API_ACCESS_TOKEN', 'DATABASE_URL']) {
      const refs = interpolations(composeText).filter((m) => m.name === secret);
      expect(refs.length, secret).toBeGreaterThan(0);
      for (const r of refs) expect(r.op, secret).toBe(':?');
    }
  });
});

describe('.env.example', () => {
  it('lists every variable the backend reads', () => {
    expect(backendEnvKeys().filter((k) => !env.has(k))).toEqual([]);
  });

  it('lists every variable the VOD worker reads', () => {
    expect(workerEnvKeys().filter((k) => !env.has(k))).toEqual([]);
  });

  it('has JWT secrets of at least 32 characters, all different, and marks every secret CHANGE-ME', () => {
    const jwt = ['SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET'].map((k) => env.get(k)!);
    for (const s of jwt) expect(s.length).toBeGreaterThanOrEqual(32);
    expect(new Set(jwt).size).toBe(3);
    for (const k of ['SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET', 'OME_WEBHOOK_SECRET', 'OME_API_ACCESS_TOKEN', 'POSTGRES_PASSWORD']) {
      expect(env.get(k), k).toMatch(/CHANGE-ME/);
    }
  });

  it('points every URL at a compose service and keeps DATABASE_URL in step with the postgres service', () => {
    const db = new URL(env.get('DATABASE_URL')!);
    expect(db.hostname).toBe('postgres');
    expect(db.port).toBe('5432');
    expect(decodeURIComponent(db.username)).toBe(env.get('POSTGRES_USER'));
    expect(decodeURIComponent(db.password)).toBe(env.get('POSTGRES_PASSWORD'));
    expect(db.pathname).toBe(`/${env.get('POSTGRES_DB')}`);
    expect(env.get('REDIS_URL')).toBe('redis://redis:6379');
    expect(env.get('OME_API_URL')).toBe(`http://ome:${OME_API_PORT}`);
    expect(env.get('GCS_API_ENDPOINT')).toBe('http://gcs:4443');
    expect(env.get('PORT')).toBe(String(BACKEND_PORT));
    expect(env.get('METRICS_PORT')).toBe(String(WORKER_METRICS_PORT));
    expect(env.get('RECORDINGS_DIR')).toBe(RECORDINGS_DIR);
    expect(env.get('CORS_ORIGIN')).toBe(`http://localhost:${FRONTEND_PORT}`);
  });

  it('uses the contract names for OME: vhost default, app app, ports 1935/9999/3333', () => {
    expect(env.get('OME_VHOST')).toBe('default');
    expect(env.get('OME_APP')).toBe('app');
    expect(env.get('OME_RTMP_PORT')).toBe('1935');
    expect(env.get('OME_SRT_PORT')).toBe('9999');
    expect(env.get('OME_WEBRTC_PORT')).toBe('3333');
    expect(env.get('OME_LLHLS_PORT')).toBe('3333');
  });
});

describe('ome service', () => {
  const ome = services.ome!;

  it('runs the official image with ome-config mounted read-only where the image reads its config', () => {
    expect(ome.image).toMatch(/^airensoft\/ovenmediaengine:/);
    expect(mount('ome', OME_CONFIG_DIR)).toEqual({ source: './ome-config', readOnly: true });
    expect(cmd(ome.command)).toContain('OvenMediaEngine -c origin_conf');
  });

  it('publishes every ingest/playback port and keeps the REST API and OVT internal', () => {
    for (const p of OME_PUBLIC_PORTS) {
      const [range, proto] = p.split('/');
      expect(ome.ports, p).toContain(`${range}:${range}/${proto}`);
    }
    expect((ome.ports ?? []).some((p) => p.includes(String(OME_API_PORT)) || p.includes('9000'))).toBe(false);
    expect(ome.expose).toContain(String(OME_API_PORT));
  });

  it('gets the secrets and address that Server.xml reads from the environment', () => {
    const text = readText('ome-config/Server.xml');
    const names = [...text.matchAll(/\$\{env:([A-Z0-9_]+)(:?)([^}]*)\}/g)];
    const e = envOf('ome');
    for (const [, name, colon, def] of names) {
      // Placeholders without a usable default must come from compose.
      if (!colon || def === '') expect(Object.keys(e), name).toContain(name);
    }
    expect(resolve(e.OME_WEBHOOK_SECRET!)).toBe(env.get('OME_WEBHOOK_SECRET'));
    expect(resolve(e.OME_API_ACCESS_TOKEN!)).toBe(env.get('OME_API_ACCESS_TOKEN'));
    expect(resolve(e.OME_HOST_IP!)).toBe('127.0.0.1');
    expect(e.OME_ADMISSION_WEBHOOK_URL).toBe(`http://backend:${BACKEND_PORT}/api/ome/admission`);
  });

  it('runs OME as uid 1000 (the worker user) so the worker can delete finished recordings', () => {
    expect(cmd(ome.command)).toMatch(/chown 1000:1000 \/var\/lib\/ome\/records/);
    expect(cmd(ome.command)).toMatch(/setpriv --reuid=1000 --regid=1000/);
  });

  it('health-checks the REST API with the access token', () => {
    expect(cmd(ome.healthcheck!.test)).toContain(`http://127.0.0.1:${OME_API_PORT}/v1/`);
    expect(cmd(ome.healthcheck!.test)).toContain('OME_API_ACCESS_TOKEN');
  });
});

describe('recording volume', () => {
  it('is one named volume at /var/lib/ome/records in both ome and vod-uploader', () => {
    const a = mount('ome', RECORDINGS_DIR);
    const b = mount('vod-uploader', RECORDINGS_DIR);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a!.source).toBe(b!.source);
    expect(Object.keys(compose.volumes)).toContain(a!.source);
    expect(a!.readOnly).toBe(false);
    expect(b!.readOnly).toBe(false); // the worker deletes uploaded and discarded recordings
  });

  it('is where the record map writes and where the worker looks', () => {
    const map = parseXml(readText('ome-config/record_map.xml'));
    const filePath = textAt(all(map, 'Record')[0]!, 'FilePath');
    expect(filePath.startsWith(`${RECORDINGS_DIR}/`)).toBe(true);
    expect(resolved('vod-uploader').RECORDINGS_DIR).toBe(RECORDINGS_DIR);
    const server = parseXml(readText('ome-config/Server.xml'));
    expect(at(server, 'VirtualHosts/VirtualHost/Applications/Application/Publishers/FILE/StreamMap/Path')?.text).toBe('record_map.xml');
  });
});

describe('backend service', () => {
  const backend = services.backend!;

  it('is built from docker/backend.Dockerfile and reachable on 8080 inside the network only', () => {
    expect(backend.build).toEqual({ context: '.', dockerfile: 'docker/backend.Dockerfile' });
    expect(backend.expose).toContain(String(BACKEND_PORT));
    expect(backend.ports ?? []).toEqual([]);
  });

  it('receives every variable the backend reads, resolving to the .env.example value', () => {
    const r = resolved('backend');
    for (const k of backendEnvKeys()) {
      expect(Object.keys(r), k).toContain(k);
      expect(r[k], k).toBe(env.get(k));
    }
  });

  it('probes /readyz on 8080', () => {
    expect(cmd(backend.healthcheck!.test)).toContain(`http://127.0.0.1:${BACKEND_PORT}/readyz`);
  });
});

describe('vod-uploader service', () => {
  const worker = services['vod-uploader']!;

  it('is built from docker/vod-uploader.Dockerfile and probes /readyz on 9100', () => {
    expect(worker.build).toEqual({ context: '.', dockerfile: 'docker/vod-uploader.Dockerfile' });
    expect(worker.expose).toContain(String(WORKER_METRICS_PORT));
    expect(cmd(worker.healthcheck!.test)).toContain(`http://127.0.0.1:${WORKER_METRICS_PORT}/readyz`);
  });

  it('receives every variable the worker reads, resolving to the .env.example value', () => {
    const r = resolved('vod-uploader');
    for (const k of workerEnvKeys()) {
      expect(Object.keys(r), k).toContain(k);
      if (k !== 'NODE_ENV') expect(r[k], k).toBe(env.get(k));
    }
    expect(r.GCS_API_ENDPOINT).toBe('http://gcs:4443');
  });

  it('gets no backend secrets it does not need', () => {
    for (const k of ['SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET', 'OME_WEBHOOK_SECRET', 'OME_API_ACCESS_TOKEN']) {
      expect(Object.keys(envOf('vod-uploader'))).not.toContain(k);
    }
  });
});

describe('data services', () => {
  it('postgres keeps its data in a volume and is probed with pg_isready', () => {
    expect(mount('postgres', '/var/lib/postgresql/data')?.source).toBe('pg-data');
    expect(cmd(services.postgres!.healthcheck!.test)).toContain('pg_isready');
  });

  it('redis persists with AOF and never evicts (BullMQ)', () => {
    const c = cmd(services.redis!.command);
    expect(c).toMatch(/--appendonly yes/);
    expect(c).toMatch(/--maxmemory-policy noeviction/);
    expect(mount('redis', '/data')?.source).toBe('redis-data');
  });

  it('gcs is fake-gcs-server over http on 4443 with the bucket created at start', () => {
    const gcs = services.gcs!;
    expect(gcs.image).toMatch(/^fsouza\/fake-gcs-server:/);
    const c = cmd(gcs.command);
    for (const flag of ['-scheme http', '-port 4443', '-external-url http://localhost:4443', '-data /data']) expect(c).toContain(flag);
    expect(c).toContain('mkdir -p "/data/$${GCS_BUCKET}"');
    expect(resolve(envOf('gcs').GCS_BUCKET!)).toBe(env.get('GCS_BUCKET'));
    expect(gcs.ports).toContain('4443:4443/tcp');
    expect(cmd(gcs.healthcheck!.test)).toContain('/_internal/healthcheck');
  });
});

describe('frontend service', () => {
  const template = readText('docker/nginx/default.conf.template');

  it('serves on 8000 and proxies /api to the backend', () => {
    const fe = services.frontend!;
    expect(fe.ports).toContain(`${FRONTEND_PORT}:${FRONTEND_PORT}/tcp`);
    expect(envOf('frontend').BACKEND_URL).toBe(`http://backend:${BACKEND_PORT}`);
    expect(template).toMatch(new RegExp(`listen ${FRONTEND_PORT};`));
  });

  it('nginx: /api unbuffered for SSE, SPA fallback to index.html, health endpoint', () => {
    const api = /location \/api\/ \{([^}]*)\}/.exec(template)?.[1] ?? '';
    expect(api).toContain('proxy_pass $backend;');
    expect(api).toContain('proxy_buffering off;');
    expect(api).toMatch(/proxy_read_timeout \d+h;/);
    expect(template).toContain('set $backend ${BACKEND_URL};');
    expect(template).toMatch(/try_files \$uri \$uri\/ \/index\.html;/);
    expect(template).toContain('location = /nginx-health');
    expect(cmd(services.frontend!.healthcheck!.test)).toContain(`http://127.0.0.1:${FRONTEND_PORT}/nginx-health`);
  });
});

describe('Dockerfiles', () => {
  type Stage = { from: string; name?: string; lines: string[] };
  function stages(rel: string): Stage[] {
    const out: Stage[] = [];
    // Join continuation lines, drop comments.
    const lines = readText(rel).replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const l of lines) {
      const m = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(l);
      if (m) out.push({ from: m[1]!, name: m[2], lines: [] });
      else out.at(-1)?.lines.push(l);
    }
    return out;
  }
  const files = ['docker/backend.Dockerfile', 'docker/vod-uploader.Dockerfile', 'docker/frontend.Dockerfile'];

  it.each(files)('%s is multi-stage and its final stage runs as a non-root user', (f) => {
    const s = stages(f);
    expect(s.length).toBeGreaterThanOrEqual(2);
    const user = s.at(-1)!.lines.filter((l) => /^USER\s/i.test(l)).at(-1);
    expect(user, 'final stage sets USER').toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it.each(files)('%s copies only paths that exist and that its .dockerignore lets through', (f) => {
    const ignore = readText(`${f}.dockerignore`).split('\n').map((l) => l.trim()).filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    for (const stage of stages(f)) {
      for (const l of stage.lines.filter((x) => /^COPY\s/i.test(x) && !/--from=/.test(x))) {
        const parts = l.split(/\s+/).slice(1).filter((p) => !p.startsWith('--'));
        for (const src of parts.slice(0, -1)) {
          expect(fs.existsSync(path.join(repoRoot, src)), `${f}: COPY ${src}`).toBe(true);
          expect(ignore.some((keep) => src === keep || src.startsWith(keep.endsWith('/') ? keep : `${keep}/`) || `${src}/` === keep), `${f}: ${src} is excluded by the .dockerignore`).toBe(true);
        }
      }
    }
  });

  it('backend image migrates, then starts dist/main.js, and exposes 8080', () => {
    const entry = readText('docker/backend-entrypoint.sh');
    expect(entry).toMatch(/prisma migrate deploy/);
    expect(entry.indexOf('prisma migrate deploy')).toBeLessThan(entry.indexOf('exec "$@"'));
    expect(fs.statSync(path.join(repoRoot, 'docker/backend-entrypoint.sh')).mode & 0o111).not.toBe(0);
    const text = readText('docker/backend.Dockerfile');
    expect(text).toContain('CMD ["node", "dist/main.js"]');
    expect(text).toContain('WORKDIR /app/backend');
    expect(text).toMatch(/npm run generate -w backend && npm run build -w backend/);
    expect(text).toMatch(/EXPOSE 8080/);
  });

  it('worker image carries ffmpeg, the built backend package and starts vod-uploader/dist/main.js', () => {
    const text = readText('docker/vod-uploader.Dockerfile');
    expect(text).toMatch(/apt-get install[^\n]*ffmpeg/);
    expect(text).toContain('/app/backend/dist');
    expect(text).toContain('WORKDIR /app/vod-uploader');
    expect(text).toContain('CMD ["node", "dist/main.js"]');
    expect(text).toContain(`mkdir -p ${RECORDINGS_DIR}`);
  });

  it('frontend image builds with npm run build -w frontend and serves frontend/dist from nginx', () => {
    const text = readText('docker/frontend.Dockerfile');
    expect(text).toContain('npm run build -w frontend');
    expect(text).toContain('COPY --from=build /app/frontend/dist /usr/share/nginx/html');
    expect(text).toContain('docker/nginx/default.conf.template /etc/nginx/templates/default.conf.template');
  });
});
