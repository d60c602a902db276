// Grants the admin role to an existing account (admins see every stream and the queue dashboard).
//   docker compose exec backend node dist/cli/make-admin.js you@example.com
//   npx tsx src/cli/make-admin.ts you@example.com            (development)
import { z } from 'zod';
import { createDb } from '../db/client.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { setRole } from '../auth/service.js';

const email = z.email().safeParse(process.argv[2]?.trim().toLowerCase());
if (!email.success) {
  process.stderr.write('usage: make-admin <email of an existing account>\n');
  process.exit(64); // EX_USAGE
}
let config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(78);
}
const db = createDb(config.databaseUrl, { poolSize: 1 });
try {
  const user = await setRole(db, email.data, 'admin');
  if (!user) {
    process.stderr.write(`no account with email ${email.data}; sign up first\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${user.email} is now an admin\n`);
  }
} finally {
  await db.$disconnect();
}
