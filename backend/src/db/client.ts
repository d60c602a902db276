import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;

/** One client per process: the pg pool inside the adapter is the connection pool. */
export function createDb(databaseUrl: string, opts: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: opts.poolSize ?? 10,
    // Fail fast when PostgreSQL is away: a caller waiting on a pool slot must not hang forever.
    connectionTimeoutMillis: 2_000,
  });
  return new PrismaClient({ adapter });
}
