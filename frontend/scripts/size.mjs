// Prints the gzipped size of the built JavaScript (frontend/dist), split into the app's own
// chunks and the lazily loaded player chunks (OvenPlayer and hls.js, which it needs for HLS).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const assets = path.join(import.meta.dirname, '..', 'dist', 'assets');
if (!existsSync(assets)) {
  console.error('frontend/dist is missing: run `npm run build -w frontend` first.');
  process.exit(1);
}
const PLAYER_CHUNK = /^(ovenplayer|hls)-/;
const LIMIT = 300 * 1024;

const rows = readdirSync(assets)
  .filter((f) => f.endsWith('.js'))
  .map((f) => {
    const buf = readFileSync(path.join(assets, f));
    return { file: f, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, player: PLAYER_CHUNK.test(f) };
  })
  .sort((a, b) => Number(a.player) - Number(b.player) || b.gzip - a.gzip);

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
for (const r of rows) console.log(`${r.player ? 'player' : 'app   '}  ${r.file.padEnd(32)} ${kb(r.raw).padStart(10)}  gzip ${kb(r.gzip).padStart(9)}`);
const app = rows.filter((r) => !r.player).reduce((s, r) => s + r.gzip, 0);
const player = rows.filter((r) => r.player).reduce((s, r) => s + r.gzip, 0);
console.log(`\nApp JS (excluding OvenPlayer/hls.js chunks), gzipped: ${kb(app)} (target < ${kb(LIMIT)})`);
console.log(`Player chunks (lazy: OvenPlayer + hls.js), gzipped: ${kb(player)}`);
if (app > LIMIT) {
  console.error('App JS is over the target.');
  process.exitCode = 1;
}
