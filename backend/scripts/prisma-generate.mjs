#!/usr/bin/env node
// `prisma generate` needs no database and no schema engine, but Prisma 7's CLI insists on finding
// one on disk and downloads it otherwise; any existing file satisfies the check. A real
// PRISMA_SCHEMA_ENGINE_BINARY (or a machine that can download) is used as is.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build/index.js');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.DATABASE_URL ??= 'postgresql://unused@localhost/unused';
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const r = spawnSync(process.execPath, [cli, 'generate'], { cwd: path.resolve(import.meta.dirname, '..'), stdio: 'inherit', env });
process.exit(r.status ?? 1);
