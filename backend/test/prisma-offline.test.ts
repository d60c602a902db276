// tools/prisma-offline/run.mjs on a checkout whose nested install is missing (its own package.json is
// not covered by the repository-wide `npm ci`): it must say what is missing and the command to fix it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '../tools/prisma-offline/run.mjs');
const root = mkdtempSync(path.join(os.tmpdir(), 'prisma-offline-missing-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A backend folder laid out like ours, with the same run.mjs, and only the given nested files. */
function checkout(name: string, present: string[] = []): string {
  const tools = path.join(root, name, 'backend/tools/prisma-offline');
  mkdirSync(path.join(root, name, 'backend/prisma'), { recursive: true });
  mkdirSync(tools, { recursive: true });
  copyFileSync(script, path.join(tools, 'run.mjs'));
  writeFileSync(path.join(root, name, 'backend/prisma/schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n');
  for (const rel of present) {
    mkdirSync(path.dirname(path.join(tools, rel)), { recursive: true });
    writeFileSync(path.join(tools, rel), '');
  }
  return tools;
}

function runIn(tools: string) {
  return spawnSync(process.execPath, [path.join(tools, 'run.mjs'), 'migrate', 'deploy'], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' },
  });
}

describe('migrate:offline without its nested install', () => {
  it('exits 1 naming the missing CLI and printing the exact install command', () => {
    const tools = checkout('bare');
    const r = runIn(tools);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(path.join(tools, 'node_modules/.bin/prisma'));
    expect(r.stderr).toContain(`npm ci --prefix ${tools} --no-audit --no-fund`);
    expect(r.stderr).toContain('scripts/test-setup.sh');
  });

  it('names the pg adapter when only it is missing (a partial install)', () => {
    const tools = checkout('partial', ['node_modules/.bin/prisma']);
    const r = runIn(tools);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('node_modules/@prisma/adapter-pg');
    expect(r.stderr).not.toContain('node_modules/.bin/prisma,');
    expect(r.stderr).toContain(`npm ci --prefix ${tools} --no-audit --no-fund`);
  });
});
