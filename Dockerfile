# syntax=docker/dockerfile:1
# HERMES image. Stages: deps (all dependencies) -> dev (sources + dev tools: tests, typecheck) and
# prod-deps (production dependencies only) -> runtime (what ships: no dev dependencies, non-root, health check).
# tsx is a production dependency: bin/hermes.js runs the TypeScript sources directly, so there is no build output.
#   docker build --target runtime -t hermes:latest .     (scripts/docker-build.sh --prod-only)
#   docker build --target dev -t hermes:dev .            (scripts/docker-build.sh --dev-only)

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

FROM base AS deps
RUN npm ci --no-audit --no-fund

FROM base AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM deps AS dev
ENV NODE_ENV=development
COPY . .
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
COPY --chown=root:root package.json package-lock.json tsconfig.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root src ./src
COPY --chown=root:root migrations ./migrations
COPY --chown=root:root flows ./flows
COPY --from=web-build --chown=root:root /app/web/dist ./web/dist
# The code stays root-owned and read-only to the process; only data/ (SQLite, prompt cache) is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/hermes.js", "serve"]
