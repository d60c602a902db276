// The committed migrations must produce exactly the database the Prisma schema describes.
// The per-run test database was built by `prisma migrate deploy` over prisma/migrations (see
// test/global-setup.ts); here a second database is built straight from schema.prisma
// (`prisma migrate diff --from-empty --to-schema-datamodel --script`) and the two catalogs are compared.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

const backendDir = path.resolve(import.meta.dirname, '..');
const scratch = `ocp_schema_${process.pid}_${Date.now()}`;
const admin = inject('adminDatabaseUrl');
const urlFor = (db: string) => {
  const u = new URL(admin);
  u.pathname = `/${db}`;
  return u.toString();
};

async function describeDb(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => JSON.stringify(r)).sort();
    return {
      columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns
                        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
      constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, contype, pg_get_constraintdef(oid) AS def FROM pg_constraint
                            WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"')`),
      enums: await q(`SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid`),
    };
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  await c.end();
});

describe('migrations', () => {
  it('match schema.prisma exactly', { timeout: 120_000 }, async () => {
    const sql = execFileSync(process.execPath, [path.join(backendDir, 'tools/prisma-offline/run.mjs'), 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', '$SCHEMA', '--script'], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(sql).toContain('CREATE TABLE "Stream"');
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE "${scratch}"`);
    await c.end();
    const s = new pg.Client({ connectionString: urlFor(scratch) });
    await s.connect();
    await s.query(sql);
    await s.end();

    const fromMigrations = await describeDb(inject('databaseUrl'));
    const fromSchema = await describeDb(urlFor(scratch));
    expect(fromMigrations.columns.length).toBeGreaterThan(40);
    expect(fromMigrations).toEqual(fromSchema);
  });
});
