// Re-encrypts restream stream keys under the current OUTPUT_ENCRYPTION_KEYS key (its first entry),
// the middle step of a key rotation (docs/publish-and-watch.md, "Restream: key rotation"):
//   docker compose exec backend node dist/cli/reencrypt-outputs.js
//   npm run outputs:reencrypt -w backend                       (development)
// Prints counts and key ids only, never a key. Exit 1 when some rows could not be read.
import { ConfigError, loadConfig } from '../config/index.js';
import { createDb } from '../db/client.js';
import { reencryptOutputs } from '../outputs/reencrypt.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(78);
}
if (!config.outputs.keyRing) {
  process.stderr.write('OUTPUT_ENCRYPTION_KEYS is not set\n');
  process.exit(78);
}
const db = createDb(config.databaseUrl, { poolSize: 1 });
try {
  const r = await reencryptOutputs(db, config.outputs.keyRing);
  process.stdout.write(`re-encrypted ${r.rewritten} stream key(s) under key "${config.outputs.keyRing.currentKid}"\n`);
  for (const u of r.unreadable) process.stderr.write(`output ${u.id}: key "${u.kid}" ${u.reason === 'unknown_key' ? 'is not in OUTPUT_ENCRYPTION_KEYS' : 'does not decrypt'}\n`);
  if (r.unreadable.length) process.exitCode = 1;
} finally {
  await db.$disconnect();
}
