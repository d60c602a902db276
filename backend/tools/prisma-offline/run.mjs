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
process.exit(result.status ?? 1);
