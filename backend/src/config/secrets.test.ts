// Placeholder and weak secrets in production (issue 17, item 1): every secret value this
// repository publishes is refused, generated ones are accepted, and the backend process exits with
// the configuration exit code (78) naming the variable.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';
import { estimatedBits, MIN_SECRET_BITS, secretProblem, urlPasswordProblem } from './secrets.js';

const repo = path.resolve(import.meta.dirname, '../../..');
const envFile = (rel: string) =>
  new Map(
    readFileSync(path.join(repo, rel), 'utf8')
      .split('\n')
      .map((l) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
const SECRET_NAME = /SECRET|TOKEN|PASSWORD/;
const published: { where: string; name: string; value: string }[] = [];
for (const rel of ['.env.example', 'backend/.env.example', 'vod-uploader/.env.example']) {
  for (const [name, value] of envFile(rel)) if (SECRET_NAME.test(name) || name.endsWith('_URL')) published.push({ where: rel, name, value });
}
const k8s = parse(readFileSync(path.join(repo, 'k8s/base/secret.yaml'), 'utf8')) as { stringData: Record<string, string> };
for (const [name, value] of Object.entries(k8s.stringData)) published.push({ where: 'k8s/base/secret.yaml', name, value });

const random = () => randomBytes(32).toString('hex');
const productionEnv = (over: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  DATABASE_URL: `postgresql://ocp:${random()}@postgres:5432/ocp`,
  REDIS_URL: 'redis://redis:6379',
  SESSION_JWT_SECRET: random(),
  PUBLISH_JWT_SECRET: random(),
  PLAYBACK_JWT_SECRET: random(),
  OME_WEBHOOK_SECRET: random(),
  OME_API_ACCESS_TOKEN: random(),
  OME_PUBLIC_HOST: 'live.example.com',
  OUTPUT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  ...over,
});

describe('production secrets', () => {
  it('refuses every secret value published in the example files and the k8s Secret', () => {
    const secrets = published.filter((p) => SECRET_NAME.test(p.name) && p.value !== '');
    expect(secrets.length).toBeGreaterThanOrEqual(15);
    for (const p of secrets) expect(secretProblem(p.value), `${p.where} ${p.name}=${p.value}`).not.toBeNull();
    // Connection URLs that carry a published password.
    for (const p of published.filter((x) => x.name === 'DATABASE_URL' && /:[^/@]+@/.test(x.value))) {
      expect(urlPasswordProblem(p.value), `${p.where} ${p.name}`).not.toBeNull();
    }
  });

  it('refuses repeated characters, placeholder words and low-entropy values; accepts generated ones', () => {
    for (const weak of ['a'.repeat(64), '0'.repeat(48), 'ab'.repeat(32), 'password'.repeat(6), 'change-me-please-change-me-please-x', 'my-dev-only-secret-2f9a81c3d7e6b5a4', 'secret', 'this-is-an-example-secret-value-123456', 'correct horse battery staple']) {
      expect(secretProblem(weak), weak).not.toBeNull();
    }
    for (let i = 0; i < 50; i++) {
      expect(secretProblem(random())).toBeNull(); // openssl rand -hex 32 / scripts/init-env.sh
      expect(secretProblem(randomBytes(48).toString('base64'))).toBeNull(); // openssl rand -base64 48
      expect(secretProblem(randomBytes(24).toString('base64url'))).toBeNull(); // 32 characters
    }
    expect(estimatedBits('a'.repeat(64))).toBe(0);
    expect(estimatedBits(random())).toBeGreaterThan(2 * MIN_SECRET_BITS);
  });

  it('production refuses each placeholder, naming the variable; development still accepts them', () => {
    const root = envFile('.env.example');
    const placeholders = Object.fromEntries(['SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET', 'OME_WEBHOOK_SECRET', 'OME_API_ACCESS_TOKEN', 'DATABASE_URL'].map((k) => [k, root.get(k)!]));
    expect(() => parseEnv(productionEnv())).not.toThrow();
    let message = '';
    try {
      parseEnv(productionEnv(placeholders));
    } catch (err) {
      message = (err as Error).message;
    }
    for (const k of Object.keys(placeholders)) expect(message, k).toMatch(new RegExp(`- ${k}: ${k} `));
    expect(message).toContain('scripts/init-env.sh');
    for (const [k, v] of Object.entries(placeholders)) {
      expect(() => parseEnv(productionEnv({ [k]: v })), k).toThrowError(new RegExp(k));
    }
    expect(() => parseEnv(productionEnv({ SESSION_JWT_SECRET: 'a'.repeat(40) }))).toThrowError(/SESSION_JWT_SECRET repeats a single character/);
    expect(() => parseEnv(productionEnv({ METRICS_TOKEN: 'metrics-token-example' }))).toThrowError(/METRICS_TOKEN/);
    expect(() => parseEnv(productionEnv({ REDIS_URL: 'redis://:CHANGE-ME@redis:6379' }))).toThrowError(/REDIS_URL/);
    expect(() => parseEnv({ ...productionEnv(placeholders), NODE_ENV: 'development' })).not.toThrow();
  });

  it('production needs OUTPUT_ENCRYPTION_KEYS and refuses the published or a guessable key; other environments may leave it unset', () => {
    const published = envFile('.env.example').get('OUTPUT_ENCRYPTION_KEYS')!;
    expect(published).toBe(envFile('backend/.env.example').get('OUTPUT_ENCRYPTION_KEYS'));
    expect(() => parseEnv(productionEnv({ OUTPUT_ENCRYPTION_KEYS: k8s.stringData.OUTPUT_ENCRYPTION_KEYS! }))).toThrowError(/OUTPUT_ENCRYPTION_KEYS key "k1": the key must be base64/);
    expect(() => parseEnv(productionEnv({ OUTPUT_ENCRYPTION_KEYS: published }))).toThrowError(/OUTPUT_ENCRYPTION_KEYS key "dev1" is a placeholder published in this repository/);
    expect(() => parseEnv(productionEnv({ OUTPUT_ENCRYPTION_KEYS: `k2:${randomBytes(32).toString('base64')},${published}` }))).toThrowError(/key "dev1"/);
    expect(() => parseEnv(productionEnv({ OUTPUT_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32).toString('base64')}` }))).toThrowError(/OUTPUT_ENCRYPTION_KEYS key "k1" .*openssl rand -base64 32/);
    expect(() => parseEnv(productionEnv({ OUTPUT_ENCRYPTION_KEYS: 'k1:short' }))).toThrowError(/OUTPUT_ENCRYPTION_KEYS key "k1": must be 32 bytes/);
    const { OUTPUT_ENCRYPTION_KEYS: _, ...without } = productionEnv();
    expect(() => parseEnv(without)).toThrowError(/OUTPUT_ENCRYPTION_KEYS is required in production/);
    expect(() => parseEnv({ ...without, NODE_ENV: 'development' })).not.toThrow();
    expect(() => parseEnv({ ...productionEnv({ OUTPUT_ENCRYPTION_KEYS: published }), NODE_ENV: 'development' })).not.toThrow();
  });

  it('the backend process exits with EX_CONFIG (78) naming the variable', () => {
    const root = envFile('.env.example');
    const env = { PATH: process.env.PATH!, ...productionEnv({ SESSION_JWT_SECRET: root.get('SESSION_JWT_SECRET')! }) };
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/main.ts'], { cwd: path.join(repo, 'backend'), env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(78);
    expect(r.stderr).toMatch(/SESSION_JWT_SECRET is a placeholder published in this repository/);
  });
});
