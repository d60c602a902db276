import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;

const pools = new WeakMap<Db, pg.Pool>();

/** One client per process: the pg pool handed to the adapter is the connection pool. */
export function createDb(databaseUrl: string, opts: { poolSize?: number } = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.poolSize ?? 10,
    // Fail fast when PostgreSQL is away: a caller waiting on a pool slot must not hang forever.
    connectionTimeoutMillis: 2_000,
  });
  // $disconnect() ends the pool, as it does one the adapter made itself.
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * The pg pool under a client (the same connections and limit), for the few hot statements that
 * Prisma's raw-query path makes costly: a batch of viewer beacons travels as one JSON parameter of
 * ~150 kB, which that path copies several times (into large-object space, old generation at once),
 * and at 5,000 beacons a second those copies were a fifth of what brought on the major GCs that
 * set the beacon endpoint's p99 (bench/README.md, "Viewer beacons").
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('poolOf: this client was not made by createDb');
  return pool;
}
