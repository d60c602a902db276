// Vitest global setup shared by the backend and the VOD worker: every test run gets its own
// PostgreSQL database (migrated with the real migration files) and its own Redis key prefix,
// both removed at the end, so parallel runs never collide.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';

const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const backendDir = path.resolve(import.meta.dirname, '..');

function databaseUrlFor(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function applyMigrations(databaseUrl: string): void {
  // The real `prisma migrate deploy` over backend/prisma/migrations, through Prisma 6.19's
  // JavaScript schema engine (see tools/prisma-offline): no native engine download needed.
  execFileSync(process.execPath, [path.join(backendDir, 'tools/prisma-offline/run.mjs'), 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export default async function setup(project: TestProject) {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const dbName = `ocp_test_${project.name.replace(/[^a-z0-9]/gi, '_')}_${suffix}`.toLowerCase();
  const prefix = `ocptest:${project.name}:${suffix}`;

  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();

  const databaseUrl = databaseUrlFor(dbName);
  applyMigrations(databaseUrl);

  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', REDIS_URL);
  project.provide('redisPrefix', prefix);
  project.provide('adminDatabaseUrl', ADMIN_URL);

  return async () => {
    const cleanup = new pg.Client({ connectionString: ADMIN_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await cleanup.end();
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
    adminDatabaseUrl: string;
  }
}
