# syntax=docker/dockerfile:1
# Backend API image. Build context: the repository root (npm workspaces share one lockfile):
#   docker build -f docker/backend.Dockerfile -t ocp-backend .
# At start it applies the Prisma migrations, then runs the API (docker/backend-entrypoint.sh).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
# Prisma's schema engine links against OpenSSL; the slim image does not ship it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1

FROM base AS build
# Manifests first so the dependency layer is cached until a package.json or the lockfile changes.
# Every workspace manifest is needed for `npm ci` to accept the workspace lockfile.
COPY package.json package-lock.json tsconfig.base.json ./
COPY backend/package.json backend/
COPY vod-uploader/package.json vod-uploader/
COPY frontend/package.json frontend/
# Dev dependencies stay: the runtime needs the prisma CLI for `migrate deploy`. Install scripts run
# here so @prisma/engines fetches the schema engine for this platform at build time, not at start.
RUN mkdir -p backend/node_modules \
 && npm ci --workspace backend --include-workspace-root=false --no-audit --no-fund
COPY backend/ backend/
RUN npm run generate -w backend && npm run build -w backend

FROM base AS runtime
ENV NODE_ENV=production PORT=8080
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/backend/package.json /app/backend/prisma.config.ts ./backend/
COPY --from=build --chown=node:node /app/backend/prisma ./backend/prisma
COPY --from=build --chown=node:node /app/backend/dist ./backend/dist
COPY --from=build --chown=node:node /app/backend/node_modules ./backend/node_modules
COPY --chmod=0755 docker/backend-entrypoint.sh /usr/local/bin/backend-entrypoint
USER node
WORKDIR /app/backend
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/local/bin/backend-entrypoint"]
CMD ["node", "dist/main.js"]
