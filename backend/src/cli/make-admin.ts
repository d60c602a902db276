// Grants the admin role to an existing account (admins see every stream and the queue dashboard),
// or takes it back with --demote. Either counts on the account's next request (open sessions too).
//   docker compose exec backend node dist/cli/make-admin.js you@example.com
//   docker compose exec backend node dist/cli/make-admin.js --demote you@example.com
//   npx tsx src/cli/make-admin.ts you@example.com            (development)
import { z } from 'zod';
import { createDb } from '../db/client.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { setRole } from '../auth/service.js';
import { AuthVersions } from '../auth/sessions/versions.js';
import { redisClient } from '../context.js';

const args = process.argv.slice(2);
const demote = args[0] === '--demote';
const email = z.email().safeParse(args[demote ? 1 : 0]?.trim().toLowerCase());
if (!email.success || args.length !== (demote ? 2 : 1)) {
  process.stderr.write('usage: make-admin [--demote] <email of an existing account>\n');
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
  const user = await setRole(db, email.data, demote ? 'user' : 'admin');
  if (!user) {
    process.stderr.write(`no account with email ${email.data}; sign up first\n`);
    process.exitCode = 1;
  } else {
    // Replicas keep a short copy of session checks, valid while the user's version in Redis holds:
    // bumping it makes the new role count on the user's next request, on every replica.
    const redis = redisClient(config.redisUrl, 'ocp-make-admin');
    redis.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 3_000);
      redis.once('ready', () => (clearTimeout(t), resolve()));
    });
    const bumped = redis.status === 'ready';
    if (bumped) await new AuthVersions(redis, config.redisPrefix, config.auth.sessionTtlSeconds + 60).bump(user.id);
    redis.disconnect();
    process.stdout.write(`${user.email} is now ${demote ? 'a user (no longer an admin)' : 'an admin'}${bumped ? '' : ' (Redis unreachable: open sessions see it within 15 s)'}\n`);
  }
} finally {
  await db.$disconnect();
}
