# syntax=docker/dockerfile:1
# HERMES image. Stages: deps (all dependencies) -> build (tsc to dist/) -> dev (sources + dev tools: tests, typecheck)
# and prod-deps (production dependencies only) -> runtime (what ships: dist/, the data folders it reads and production
# dependencies; no sources, no dev dependencies, non-root, health check).
#   docker build --target runtime -t hermes:latest .     (scripts/docker-build.sh --prod-only)
#   docker build --target dev -t hermes:dev .            (scripts/docker-build.sh --dev-only)

# Node 24, the active LTS line (Node 20 reached end of life in April 2026).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `prepare` builds dist/ after `npm ci` in a checkout; here the sources are not copied yet, so the build is its own
# stage below. Removing the script only changes this stage's copy of package.json.
RUN npm pkg delete scripts.prepare

FROM base AS deps
RUN npm ci --no-audit --no-fund

FROM base AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM deps AS build
COPY . .
RUN npm run build

FROM build AS dev
ENV NODE_ENV=development
CMD ["npm", "test"]

# The staff app (web/ -> web/dist): built with the dev tools, shipped as static files.
FROM deps AS web-build
COPY web ./web
COPY scripts/build-web.mjs ./scripts/build-web.mjs
RUN npm run build:web

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=sqlite:///app/data/hermes.sqlite \
    PROMPT_CACHE_DIR=/app/data/prompt-cache
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json ./
COPY --chown=root:root bin ./bin
COPY --from=build --chown=root:root /app/dist ./dist
# Read at run time: the bundled flows (default flow, `hermes bench`) and the corpus (`hermes accuracy`).
COPY --chown=root:root flows ./flows
COPY --chown=root:root corpus ./corpus
COPY --from=web-build --chown=root:root /app/web/dist ./web/dist
# The code stays root-owned and read-only to the process; only data/ (SQLite, prompt cache) is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/hermes.js", "serve"]
