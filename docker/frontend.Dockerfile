# syntax=docker/dockerfile:1
# Dashboard image: the Vite build served by unprivileged nginx on 8000, /api proxied to the backend
# (SSE unbuffered). Build context: repo root:
#   docker build -f docker/frontend.Dockerfile -t ocp-frontend .

ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY backend/package.json backend/
COPY vod-uploader/package.json vod-uploader/
COPY frontend/package.json frontend/
# The root workspace brings TypeScript and Vitest (whose Vite the build uses); the backend workspace's
# dev dependencies bring @types/node for the dashboard's type check. Nothing of the backend is bundled.
RUN npm ci --workspace frontend --workspace backend --include-workspace-root --ignore-scripts --no-audit --no-fund
COPY frontend/ frontend/
RUN npm run build -w frontend

FROM ${NGINX_IMAGE} AS runtime
# The image's entrypoint renders /etc/nginx/templates/*.template with envsubst into conf.d/.
ENV BACKEND_URL=http://backend:8080 NGINX_RESOLVER=127.0.0.11
COPY docker/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --from=build /app/frontend/dist /usr/share/nginx/html
# nginx-unprivileged already runs as uid 101; stated again so the intent survives a base image change.
USER 101
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=5 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8000/nginx-health"]
