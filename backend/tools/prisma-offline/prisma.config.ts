// Prisma 6.19 with its JavaScript schema engine and the pg driver adapter: no native binary.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

const backend = path.resolve(import.meta.dirname, '../..');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(backend, 'prisma/schema.prisma'),
  migrations: { path: path.join(backend, 'prisma/migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is required');
    return new PrismaPg({ connectionString: url });
  },
});
