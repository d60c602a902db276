// Checks the Kubernetes manifests: every resource is listed in the kustomization, workloads expose the
// ports and probes the code serves, backend and worker get every env var they read (names as in
// .env.example), OME gets its config (identical to ome-config/) and the recording volume, HPAs and Ingress
// point at the right things, nothing runs as root and no real secret is committed.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  BACKEND_PORT, FRONTEND_PORT, OME_API_PORT, OME_CONFIG_DIR, RECORDINGS_DIR, WORKER_METRICS_PORT, backendEnvKeys, workerEnvKeys,
} from './lib/expectations.js';
import { readEnvExample, readText, repoRoot } from './lib/repo.js';

type K8s = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [k: string]: any };

const NAMESPACE = 'ome-control-plane';
const baseDir = path.join(repoRoot, 'k8s/base');
const kustomization = parse(readText('k8s/base/kustomization.yaml')) as { namespace: string; resources: string[] };

const docs: Array<K8s & { file: string }> = kustomization.resources.flatMap((file) =>
  parseAllDocuments(fs.readFileSync(path.join(baseDir, file), 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return { ...(d.toJS() as K8s), file };
  }),
);
const env = readEnvExample();

function find(kind: string, name: string): K8s {
  const r = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!r) throw new Error(`no ${kind} ${name} in k8s/base`);
  return r;
}
const container = (deploy: string) => find('Deployment', deploy).spec.template.spec.containers[0];
const podSpec = (deploy: string) => find('Deployment', deploy).spec.template.spec;
const configData = (name: string): Record<string, string> => find('ConfigMap', name).data;
const secretData = (name: string): Record<string, string> => find('Secret', name).stringData;

/** Env var names a container receives (env + envFrom of ConfigMaps/Secrets defined here). */
function envNames(deploy: string): Set<string> {
  const c = container(deploy);
  const names = new Set<string>((c.env ?? []).map((e: { name: string }) => e.name));
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) Object.keys(configData(from.configMapRef.name)).forEach((k) => names.add(k));
    if (from.secretRef) Object.keys(secretData(from.secretRef.name)).forEach((k) => names.add(k));
  }
  return names;
}
const portOf = (c: any, name: string) => c.ports.find((p: any) => p.name === name)?.containerPort;

describe('kustomization', () => {
  it('lists every manifest in k8s/base, and every listed file exists', () => {
    const yamls = fs.readdirSync(baseDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
    expect([...kustomization.resources].sort()).toEqual(yamls);
    expect(kustomization.namespace).toBe(NAMESPACE);
  });

  it('every resource is well formed and namespaced in ome-control-plane', () => {
    for (const d of docs) {
      expect(d.apiVersion, d.file).toBeTruthy();
      expect(d.kind, d.file).toBeTruthy();
      expect(d.metadata?.name, d.file).toBeTruthy();
      if (d.kind !== 'Namespace') expect(d.metadata.namespace, `${d.kind}/${d.metadata.name}`).toBe(NAMESPACE);
    }
    expect(find('Namespace', NAMESPACE)).toBeDefined();
  });

  it('the example overlay builds on base and retags the three images', () => {
    const overlay = parse(readText('k8s/overlays/example/kustomization.yaml')) as { resources: string[]; images: Array<{ name: string }> };
    expect(overlay.resources).toContain('../../base');
    expect(overlay.images.map((i) => i.name).sort()).toEqual(
      ['backend', 'frontend', 'vod-uploader'].map((n) => `ome-control-plane/${n}`).sort(),
    );
    for (const i of overlay.images) {
      const used = docs.some((d) => d.kind === 'Deployment' && d.spec.template.spec.containers.some((c: any) => c.image.split(':')[0] === i.name));
      expect(used, i.name).toBe(true);
    }
  });
});

describe('workloads', () => {
  it('deploys backend, vod-uploader, frontend and ome', () => {
    for (const n of ['backend', 'vod-uploader', 'frontend', 'ome']) expect(find('Deployment', n).spec.template.spec.containers).toHaveLength(1);
  });

  it('selectors match their pod labels, and every Service selects a Deployment', () => {
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    for (const d of deployments) {
      const labels = d.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(d.spec.selector.matchLabels)) expect(labels[k], `${d.metadata.name} ${k}`).toBe(v);
    }
    for (const s of docs.filter((d) => d.kind === 'Service')) {
      const match = deployments.some((d) => Object.entries(s.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(match, `Service ${s.metadata.name}`).toBe(true);
    }
  });

  it('backend: port 8080, liveness /healthz, readiness /readyz', () => {
    const c = container('backend');
    expect(portOf(c, 'http')).toBe(BACKEND_PORT);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.startupProbe.httpGet.path).toBe('/healthz');
  });

  it('vod-uploader: metrics port 9100, liveness /healthz, readiness /readyz', () => {
    const c = container('vod-uploader');
    expect(portOf(c, 'metrics')).toBe(WORKER_METRICS_PORT);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
  });

  it('frontend: port 8000 with a health probe, proxying to the backend service by its full name', () => {
    const c = container('frontend');
    expect(portOf(c, 'http')).toBe(FRONTEND_PORT);
    expect(c.readinessProbe.httpGet.path).toBe('/nginx-health');
    const backendUrl = c.env.find((e: any) => e.name === 'BACKEND_URL').value;
    expect(backendUrl).toBe(`http://backend.${NAMESPACE}.svc.cluster.local:${BACKEND_PORT}`);
  });

  it('no container runs as root or can escalate privileges', () => {
    for (const d of docs.filter((x) => x.kind === 'Deployment')) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext?.runAsNonRoot, d.metadata.name).toBe(true);
      expect(pod.securityContext?.runAsUser, d.metadata.name).toBeGreaterThan(0);
      for (const c of pod.containers) expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
    }
  });

  it('every container has resource requests and limits', () => {
    for (const d of docs.filter((x) => x.kind === 'Deployment')) {
      const c = d.spec.template.spec.containers[0];
      expect(c.resources?.requests?.cpu, d.metadata.name).toBeDefined();
      expect(c.resources?.limits?.memory, d.metadata.name).toBeDefined();
    }
  });
});

describe('configuration and secrets', () => {
  it('the backend receives every variable it reads', () => {
    const names = envNames('backend');
    expect(backendEnvKeys().filter((k) => !names.has(k))).toEqual([]);
  });

  it('the worker receives every variable it reads, but no signing secret', () => {
    const names = envNames('vod-uploader');
    expect(workerEnvKeys().filter((k) => !names.has(k))).toEqual([]);
    for (const s of ['SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET', 'OME_WEBHOOK_SECRET', 'OME_API_ACCESS_TOKEN']) expect(names.has(s), s).toBe(false);
  });

  it('uses only variable names .env.example documents', () => {
    const keys = [...Object.keys(configData('ocp-config')), ...Object.keys(configData('ome-env')), ...Object.keys(secretData('ocp-secrets'))];
    expect(keys.filter((k) => !env.has(k) && k !== 'OME_ADMISSION_WEBHOOK_URL')).toEqual([]);
  });

  it('wires the in-cluster addresses and the contract values', () => {
    const c = configData('ocp-config');
    expect(c.OME_API_URL).toBe(`http://ome:${OME_API_PORT}`);
    expect(c.PORT).toBe(String(BACKEND_PORT));
    expect(c.METRICS_PORT).toBe(String(WORKER_METRICS_PORT));
    expect(c.RECORDINGS_DIR).toBe(RECORDINGS_DIR);
    expect(c.OME_VHOST).toBe('default');
    expect(c.OME_APP).toBe('app');
    expect(c.OME_PLAYLIST).toBe(env.get('OME_PLAYLIST'));
    expect(configData('ome-env').OME_ADMISSION_WEBHOOK_URL).toBe(`http://backend:${BACKEND_PORT}/api/ome/admission`);
  });

  it('keeps secrets in the Secret only, as CHANGE-ME placeholders', () => {
    const s = secretData('ocp-secrets');
    expect(Object.keys(s).sort()).toEqual(['DATABASE_URL', 'METRICS_TOKEN', 'OME_API_ACCESS_TOKEN', 'OME_WEBHOOK_SECRET', 'OUTPUT_ENCRYPTION_KEYS', 'PLAYBACK_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'SESSION_JWT_SECRET']);
    for (const [k, v] of Object.entries(s)) expect(v, k).toMatch(/CHANGE-ME/);
    for (const k of Object.keys(s)) expect(Object.keys(configData('ocp-config')), k).not.toContain(k);
    for (const k of ['SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET']) expect(s[k]!.length).toBeGreaterThanOrEqual(32);
  });
});

describe('OME', () => {
  const c = container('ome');
  const pod = podSpec('ome');
  const mountAt = (p: string) => c.volumeMounts.find((m: any) => m.mountPath === p);
  const volume = (name: string) => pod.volumes.find((v: any) => v.name === name);

  it('runs the official image on its config folder with one replica, replaced (not rolled)', () => {
    expect(c.image).toMatch(/^airensoft\/ovenmediaengine:/);
    expect(c.command).toEqual(['/opt/ovenmediaengine/bin/OvenMediaEngine', '-c', 'origin_conf']);
    expect(find('Deployment', 'ome').spec.replicas).toBe(1);
    expect(find('Deployment', 'ome').spec.strategy.type).toBe('Recreate');
  });

  it('mounts the ome-config ConfigMap, identical to the files in ome-config/', () => {
    const m = mountAt(OME_CONFIG_DIR);
    expect(m.readOnly).toBe(true);
    expect(volume(m.name).configMap.name).toBe('ome-config');
    const data = configData('ome-config');
    expect(Object.keys(data).sort()).toEqual(['Logger.xml', 'Server.xml', 'record_map.xml']);
    for (const [file, text] of Object.entries(data)) {
      expect(text, `${file} differs: run node k8s/sync-ome-config.mjs`).toBe(readText(`ome-config/${file}`));
    }
  });

  it('shares the recording claim with the worker at /var/lib/ome/records, writable by uid 1000', () => {
    const omeClaim = volume(mountAt(RECORDINGS_DIR).name).persistentVolumeClaim.claimName;
    const w = container('vod-uploader');
    const wMount = w.volumeMounts.find((m: any) => m.mountPath === RECORDINGS_DIR);
    const wClaim = podSpec('vod-uploader').volumes.find((v: any) => v.name === wMount.name).persistentVolumeClaim.claimName;
    expect(omeClaim).toBe(wClaim);
    expect(find('PersistentVolumeClaim', omeClaim).spec.accessModes).toContain('ReadWriteMany');
    expect(pod.securityContext.runAsUser).toBe(podSpec('vod-uploader').securityContext.runAsUser);
    expect(pod.securityContext.fsGroup).toBe(1000);
    // OME writes logs and DVR segments outside the read-only config folder.
    expect(mountAt('/var/log/ovenmediaengine')).toBeDefined();
    expect(mountAt('/tmp/ome_dvr')).toBeDefined();
  });

  it('gets its secrets from the Secret and its address from ome-env', () => {
    const fromSecret = Object.fromEntries(c.env.map((e: any) => [e.name, e.valueFrom?.secretKeyRef?.key]));
    expect(fromSecret).toEqual({ OME_WEBHOOK_SECRET: 'OME_WEBHOOK_SECRET', OME_API_ACCESS_TOKEN: 'OME_API_ACCESS_TOKEN' });
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'ome-env' } }]);
    expect(configData('ome-env').OME_HOST_IP).toBeTruthy();
  });

  it('exposes RTMP, SRT, signalling/LL-HLS, TURN and every ICE port publicly, and the API and OVT only inside', () => {
    const expected = [
      '1935/TCP', '9999/UDP', '3333/TCP', '3334/TCP', '3478/TCP',
      ...Array.from({ length: 10 }, (_, i) => `${10000 + i}/UDP`),
    ];
    const containerPorts = c.ports.map((p: any) => `${p.containerPort}/${p.protocol}`);
    for (const p of [...expected, `${OME_API_PORT}/TCP`, '9000/TCP']) expect(containerPorts, p).toContain(p);
    const pub = find('Service', 'ome-public');
    expect(pub.spec.type).toBe('LoadBalancer');
    expect(pub.spec.ports.map((p: any) => `${p.port}/${p.protocol}`).sort()).toEqual([...expected].sort());
    for (const p of pub.spec.ports) expect(c.ports.find((cp: any) => cp.name === p.targetPort)?.containerPort, p.name).toBe(p.port);
    const internal = find('Service', 'ome');
    expect(internal.spec.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(internal.spec.ports.map((p: any) => p.port)).toEqual(expect.arrayContaining([OME_API_PORT, 9000]));
  });

  it('has startup, liveness and readiness probes', () => {
    expect(c.startupProbe).toBeDefined();
    expect(c.livenessProbe).toBeDefined();
    expect(c.readinessProbe).toBeDefined();
  });
});

describe('services, autoscaling and ingress', () => {
  it('Services: backend 8080, frontend 8000, worker metrics 9100', () => {
    expect(find('Service', 'backend').spec.ports[0].port).toBe(BACKEND_PORT);
    expect(find('Service', 'frontend').spec.ports[0].port).toBe(FRONTEND_PORT);
    expect(find('Service', 'vod-uploader').spec.ports[0].port).toBe(WORKER_METRICS_PORT);
  });

  it.each([['backend'], ['vod-uploader']])('an HPA scales %s on CPU', (name) => {
    const hpa = find('HorizontalPodAutoscaler', name);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    // HPA needs CPU requests to compute utilisation.
    expect(container(name).resources.requests.cpu).toBeDefined();
  });

  it('the Ingress routes /api to the backend (unbuffered for SSE) and / to the frontend', () => {
    const ing = find('Ingress', 'ome-control-plane');
    const paths = ing.spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service.name, p.backend.service.port.number]);
    expect(paths).toEqual([['/api', 'backend', BACKEND_PORT], ['/', 'frontend', FRONTEND_PORT]]);
    expect(ing.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
  });
});
