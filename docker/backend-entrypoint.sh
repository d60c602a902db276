#!/bin/sh
# Applies pending Prisma migrations (idempotent; Prisma takes an advisory lock, so several replicas
# starting together are safe), then replaces this shell with the given command (the API by default).
set -eu
cd /app/backend
npx --no-install prisma migrate deploy
exec "$@"
