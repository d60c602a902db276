#!/usr/bin/env bash
# Everything `npm test` needs beyond `npm ci`: Debian packages (ffmpeg, chromium), the Prisma 6.19
# JS-engine CLI used to apply migrations where Prisma's native engine cannot be downloaded, and the
# generated Prisma client.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
if [ ! -x backend/tools/prisma-offline/node_modules/.bin/prisma ]; then
  npm ci --prefix backend/tools/prisma-offline --no-audit --no-fund --loglevel=error
fi
npm run --silent generate -w backend
