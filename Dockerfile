# Account service image. Build: docker build -t account-service .
# One image, three uses: APP_ROLE=api (HTTP), APP_ROLE=worker (queue consumer), or the migration
# step: docker run --rm --env-file prod.env account-service node dist/database/migrate.cli.js

ARG NODE_IMAGE=node:20-bookworm-slim

# --- Toolchain for the native modules: better-sqlite3 is compiled here (bcrypt ships prebuilds) ---
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Compile against the base image's own Node headers (/usr/local/include/node in the node images),
# and do not try a prebuilt better-sqlite3 download first: node-gyp and prebuild-install then
# fetch nothing, and the npm registry (or an offline mirror of it) is the only source needed.
# SCARF_ANALYTICS=false: the install script of @scarf/scarf (via swagger-ui-dist) reports nothing
# (package.json's allowScripts blocks it too, but the node:20 images' npm 10 does not read that).
ENV npm_config_nodedir=/usr/local \
    npm_config_build_from_source=better-sqlite3 \
    SCARF_ANALYTICS=false
WORKDIR /app

# --- Build: all dependencies, compile TypeScript to dist/ ----------------------------------------
# Without install scripts: compiling TypeScript loads no native module (the deps stage builds them).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# --- Production dependencies only (native modules built here, copied as files) -------------------
# The runtime stage copies this node_modules: the native build leftovers and TypeScript (installed
# as typeorm's optional peer) are removed here, so they never reach it.
FROM toolchain AS deps
COPY package.json package-lock.json ./
COPY scripts/slim-node-modules.sh ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund \
 && sh scripts/slim-node-modules.sh node_modules \
 && npm cache clean --force

# --- Runtime: slim image, no compiler, no dev dependencies, not root -----------------------------
FROM ${NODE_IMAGE} AS runtime
# The heap is sized for the container, not for the host: without a limit Node sizes it from the
# machine's memory and collects late. Raise it with the container's memory limit.
ENV NODE_ENV=production \
    PORT=3000 \
    NODE_OPTIONS=--max-old-space-size=160 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# ./data is the only writable place (an SQLite file in small setups); the code stays read-only.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only: readiness (/health/ready) depends on PostgreSQL and Redis and belongs to the
# load balancer, not to the container restart policy.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Pending migrations run at start under a PostgreSQL advisory lock (DATABASE_MIGRATIONS_RUN=true),
# so several instances may start at once. Node is PID 1 and handles SIGTERM itself (graceful drain).
CMD ["node", "dist/main.js"]
