# syntax=docker/dockerfile:1
# VOD worker image (BullMQ worker: OME recordings -> HLS renditions -> GCS). Build context: repo root:
#   docker build -f docker/vod-uploader.Dockerfile -t ocp-vod-uploader .
# The worker imports @ocp/backend/db and @ocp/backend/webhooks, so the built backend package is
# part of the image (as a workspace link, exactly as in development).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
COPY package.json package-lock.json tsconfig.base.json ./
COPY backend/package.json backend/
COPY vod-uploader/package.json vod-uploader/
COPY frontend/package.json frontend/
# Build-time tools only (tsc, prisma generate); no engine download is needed to generate the client.
RUN npm ci --workspace backend --workspace vod-uploader --include-workspace-root=false --ignore-scripts --no-audit --no-fund
COPY backend/ backend/
COPY vod-uploader/ vod-uploader/
RUN npm run generate -w backend && npm run build -w backend && npm run build -w vod-uploader

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY vod-uploader/package.json vod-uploader/
COPY frontend/package.json frontend/
# Production dependencies only: the Prisma client runs on the pg driver adapter, no native engine.
RUN mkdir -p backend/node_modules vod-uploader/node_modules \
 && npm ci --workspace backend --workspace vod-uploader --include-workspace-root=false --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# ffmpeg/ffprobe transcode recordings into HLS renditions and read their duration.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/ome/records \
 && chown node:node /var/lib/ome/records
WORKDIR /app
ENV NODE_ENV=production RECORDINGS_DIR=/var/lib/ome/records METRICS_PORT=9100 FFMPEG_PATH=ffmpeg FFPROBE_PATH=ffprobe
COPY --from=prod-deps --chown=node:node /app/package.json ./package.json
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=prod-deps --chown=node:node /app/backend/node_modules ./backend/node_modules
COPY --from=prod-deps --chown=node:node /app/vod-uploader/node_modules ./vod-uploader/node_modules
COPY --from=build --chown=node:node /app/backend/package.json ./backend/package.json
COPY --from=build --chown=node:node /app/backend/dist ./backend/dist
COPY --from=build --chown=node:node /app/vod-uploader/package.json ./vod-uploader/package.json
COPY --from=build --chown=node:node /app/vod-uploader/dist ./vod-uploader/dist
USER node
WORKDIR /app/vod-uploader
VOLUME ["/var/lib/ome/records"]
EXPOSE 9100
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.METRICS_PORT||9100)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
