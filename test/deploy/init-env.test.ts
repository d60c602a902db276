// scripts/init-env.sh: the quick start's one step before `docker compose up`. It must turn
// .env.example into an .env whose every secret is new and random (the backend refuses published
// placeholders in production), keep DATABASE_URL in step with POSTGRES_PASSWORD, leave everything
// else as .env.example has it, and never overwrite an existing .env's secrets by accident.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secretProblem, urlPasswordProblem } from '../../backend/src/config/secrets.js';
import { interpolations } from './lib/expectations.js';
import { parseEnvFile, readEnvExample, readText, repoRoot } from './lib/repo.js';

const script = path.join(repoRoot, 'scripts/init-env.sh');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocp-init-env-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync('bash', [script, ...args], { encoding: 'utf8' });
const example = readEnvExample();
const SECRETS = ['POSTGRES_PASSWORD', 'SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET', 'OME_WEBHOOK_SECRET', 'OME_API_ACCESS_TOKEN'];

describe('scripts/init-env.sh', () => {
  const out = path.join(dir, '.env');
  const first = run('--out', out);
  const env = parseEnvFile(fs.readFileSync(out, 'utf8'));

  it('writes .env with a fresh random value for every CHANGE-ME secret', () => {
    expect(first.status, first.stderr).toBe(0);
    for (const k of SECRETS) {
      expect(env.get(k), k).not.toBe(example.get(k));
      expect(secretProblem(env.get(k)!), k).toBeNull();
    }
    expect([...env.values()].some((v) => /change-me/i.test(v))).toBe(false);
    expect(new Set(SECRETS.map((k) => env.get(k))).size).toBe(SECRETS.length);
    expect((fs.statSync(out).mode & 0o777).toString(8)).toBe('600');
  });

  it('keeps DATABASE_URL in step with POSTGRES_PASSWORD, and every other value as .env.example has it', () => {
    const db = new URL(env.get('DATABASE_URL')!);
    expect(decodeURIComponent(db.password)).toBe(env.get('POSTGRES_PASSWORD'));
    expect(urlPasswordProblem(env.get('DATABASE_URL')!)).toBeNull();
    expect(db.hostname).toBe('postgres');
    expect([...env.keys()]).toEqual([...example.keys()]);
    for (const [k, v] of example) if (!SECRETS.includes(k) && k !== 'DATABASE_URL' && k !== 'OUTPUT_ENCRYPTION_KEYS') expect(env.get(k), k).toBe(v);
  });

  it('writes a fresh restream key ring (k1 + 32 random bytes) that production accepts', () => {
    const ring = env.get('OUTPUT_ENCRYPTION_KEYS')!;
    expect(ring).not.toBe(example.get('OUTPUT_ENCRYPTION_KEYS'));
    const m = /^k1:([A-Za-z0-9+/]{43}=)$/.exec(ring);
    expect(m, ring).not.toBeNull();
    expect(Buffer.from(m![1]!, 'base64')).toHaveLength(32);
    expect(secretProblem(m![1]!)).toBeNull();
  });

  it('gives compose every secret it requires (the ${VAR:?} ones)', () => {
    for (const m of interpolations(readText('docker-compose.yml'))) if (m.op === ':?') expect(env.get(m.name), m.name).toBeTruthy();
  });

  it('keeps an existing .env (its secrets are what the database and sessions use) unless --force', () => {
    const before = fs.readFileSync(out, 'utf8');
    const again = run('--out', out);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/keeping it/);
    expect(fs.readFileSync(out, 'utf8')).toBe(before);
    const forced = run('--out', out, '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(parseEnvFile(fs.readFileSync(out, 'utf8')).get('SESSION_JWT_SECRET')).not.toBe(env.get('SESSION_JWT_SECRET'));
  });

  it('refuses to keep an .env that still holds the placeholders (cp .env.example .env)', () => {
    const copied = path.join(dir, 'copied.env');
    fs.copyFileSync(path.join(repoRoot, '.env.example'), copied);
    const r = run('--out', copied);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/still holds CHANGE-ME placeholders; rerun with --force/);
    expect(run('--out', copied, '--force').status).toBe(0);
    expect(fs.readFileSync(copied, 'utf8')).not.toMatch(/^[A-Z_]+=.*CHANGE-ME/im);
  });

  it('is what the README quick start runs', () => {
    expect(readText('README.md')).toContain('scripts/init-env.sh && docker compose up');
    expect(execFileSync('bash', ['-n', script]).toString()).toBe('');
  });
});
