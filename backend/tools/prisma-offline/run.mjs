#!/usr/bin/env node
// Runs the Prisma 6.19 CLI (JavaScript schema engine + pg adapter, see prisma.config.ts) on the
// backend's schema, for machines where Prisma 7's native schema engine cannot be downloaded.
// Prisma 6 still wants `url` in the datasource block, which Prisma 7 forbids, so the schema is
// copied to a temporary file with that one line added; models and migrations are the backend's own.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = import.meta.dirname;

// This folder has its own package.json, which the repository's `npm ci` does not install: say so,
// with the exact command, instead of failing with spawn's bare exit code.
const required = ['node_modules/.bin/prisma', 'node_modules/@prisma/adapter-pg/package.json'];
const missing = required.filter((rel) => !fs.existsSync(path.join(here, rel)));
if (missing.length > 0) {
  console.error(
    [
      `prisma-offline: its own dependencies are not installed (missing ${missing.map((m) => path.join(here, m)).join(', ')}).`,
      'This folder has its own package.json, which the repository-wide `npm ci` does not install. Install it with:',
      '',
      `  npm ci --prefix ${here} --no-audit --no-fund`,
      '',
      '(or run `bash scripts/test-setup.sh` from the repository root, which does this among the test prerequisites).',
    ].join('\n'),
  );
  process.exit(1);
}
const source = path.resolve(here, '../../prisma/schema.prisma');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prisma-offline-'));
const schema = path.join(tmp, 'schema.prisma');
const text = fs.readFileSync(source, 'utf8');
const patched = text.replace(/(datasource\s+\w+\s*\{[^}]*provider\s*=\s*"postgresql")/, '$1\n  url = env("DATABASE_URL")');
if (patched === text) {
  console.error('prisma-offline: could not find the postgresql datasource block in', source);
  process.exit(2);
}
fs.writeFileSync(schema, patched);

const args = process.argv.slice(2).map((a) => (a === '$SCHEMA' ? schema : a));
const needsSchemaFlag = !args.includes('--to-schema-datamodel') && !args.includes('--schema');
const result = spawnSync(
  path.join(here, 'node_modules/.bin/prisma'),
  [...args, ...(needsSchemaFlag ? ['--schema', schema] : [])],
  {
    cwd: here,
    stdio: 'inherit',
    env: {
      ...process.env,
      // Only checked for existence; the JS engine does the work.
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  },
);
fs.rmSync(tmp, { recursive: true, force: true });
if (result.error) {
  console.error(`prisma-offline: could not run ${path.join(here, 'node_modules/.bin/prisma')}: ${result.error.message}`);
} else if (result.status === null) {
  console.error(`prisma-offline: prisma was stopped by ${result.signal}`);
}
process.exit(result.status ?? 1);
