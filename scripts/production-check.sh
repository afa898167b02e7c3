#!/usr/bin/env bash
# Performs the container image's start-up steps on this machine, without Docker, and checks them:
#
#   1. a clean copy of the repository (tracked and new, non-ignored files), as the build context;
#   2. what can be checked of the Dockerfile and docker-compose.yml without a Docker engine: no
#      frontend fetched from a registry (`# syntax=`), native modules built against Node's own
#      headers (npm_config_nodedir), the deps stage slimming node_modules; compose builds the image
#      once and reuses it, one-shot steps without healthcheck, PostgreSQL checked over TCP, pinned
#      image tags, stop grace periods (and the README's --stop-timeout) longer than the drain;
#   3. the image's stages: build (`npm ci --ignore-scripts` + `npm run build`), deps (`npm ci
#      --omit=dev` compiling better-sqlite3 against this Node's headers, then
#      scripts/slim-node-modules.sh: the native modules load, their build leftovers, TypeScript
#      and the dev dependencies are absent), runtime (the deps' node_modules + the build's dist/);
#   4. a fresh PostgreSQL database, migrated by the separate step `node dist/database/migrate.cli.js`
#      (run twice: the second run must find nothing to do);
#   5. `node dist/main.js` with NODE_ENV=production as APP_ROLE=api: /health/ready answers 200,
#      /api/docs-json serves the OpenAPI document, /metrics answers with METRICS_TOKEN, and SIGTERM
#      ends the process with exit code 0; the same for APP_ROLE=worker;
#   6. NODE_ENV=production without APP_SECRET, or with SMS_PROVIDER=log, refuses to start: exit
#      code 1 and one line that names the variable.
#
# Steps 4 to 6 run in the runtime directory, so the service is proven to start without what the
# deps stage removed.
#
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth; override with PG_ADMIN_URL) and
# Redis at 127.0.0.1:6379 (REDIS_URL). Cleans up after itself. Exit code 0 = every check passed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/production-check.XXXXXX")"
DB_NAME="prodcheck_$$_$(date +%s)"
DATABASE_URL="${PG_ADMIN_URL%/*}/${DB_NAME}"
PIDS=()
DB_CREATED=0

step() { printf '\n==> %s\n' "$*"; }
fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  if [ "$DB_CREATED" = 1 ]; then
    psql "$PG_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)" \
      >/dev/null 2>&1 || echo "warning: could not drop database ${DB_NAME}" >&2
  fi
  rm -rf "$WORK"
  if [ "$status" = 0 ]; then echo "production check passed"; else echo "production check FAILED" >&2; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The environment of a production instance. Messages are never delivered here: SMTP points at a
# closed port and the SMS webhook at an address nothing listens on (readiness depends on neither).
APP_SECRET="production-check-$(node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))")"
METRICS_TOKEN="metrics-$(node -e "process.stdout.write(require('crypto').randomBytes(16).toString('hex'))")"
prod_env=(
  "PATH=$PATH"
  "HOME=${HOME:-/tmp}"
  NODE_ENV=production
  "APP_SECRET=$APP_SECRET"
  "DATABASE_URL=$DATABASE_URL"
  "REDIS_URL=$REDIS_URL"
  "QUEUE_PREFIX=prodcheck-$$"
  SMTP_URL=smtp://127.0.0.1:9
  SMS_PROVIDER=webhook
  SMS_WEBHOOK_URL=http://127.0.0.1:9/sms
  "METRICS_TOKEN=$METRICS_TOKEN"
  PORT=0
  LOG_LEVEL=info
)

# HTTP status of a GET (000 when nothing answers); optional bearer token.
http_status() {
  node -e '
    const [url, token] = process.argv.slice(1);
    fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5000) })
      .then((r) => console.log(r.status), () => console.log("000"));
  ' "$1" "${2:-}"
}

# Starts `node dist/main.js` with the production environment plus "$@"; sets APP_PID and APP_PORT.
start_app() {
  local log="$1"
  shift
  (cd "$WORK/runtime" && exec env -i "${prod_env[@]}" "$@" node dist/main.js >"$log" 2>&1) &
  APP_PID=$!
  PIDS+=("$APP_PID")
  APP_PORT=""
  for _ in $(seq 1 120); do
    APP_PORT="$(grep -oE '(Listening on port|health on port) [0-9]+' "$log" | grep -oE '[0-9]+$' | head -1 || true)"
    [ -n "$APP_PORT" ] && return 0
    kill -0 "$APP_PID" 2>/dev/null || { tail -20 "$log" >&2; fail "the app exited before it listened"; }
    sleep 0.5
  done
  tail -20 "$log" >&2
  fail "the app did not listen within 60 s"
}

wait_ready() {
  local url="$1" status=""
  for _ in $(seq 1 60); do
    status="$(http_status "$url/health/ready")"
    [ "$status" = 200 ] && return 0
    sleep 0.5
  done
  fail "$url/health/ready answered $status, not 200, within 30 s"
}

# Sends SIGTERM and requires exit code 0 within 30 s.
stop_app() {
  local pid="$1" log="$2" code
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null && fail "no exit within 30 s of SIGTERM"
  set +e
  wait "$pid"
  code=$?
  set -e
  [ "$code" = 0 ] || { tail -20 "$log" >&2; fail "exit code $code after SIGTERM, expected 0"; }
  echo "SIGTERM: exit code 0"
}

# NODE_ENV=production with a bad setting: exit code 1 and exactly one line naming the variable.
expect_refusal() {
  local variable="$1" output code lines
  shift
  set +e
  output="$(cd "$WORK/runtime" && env -i "${prod_env[@]}" "$@" node dist/main.js 2>&1)"
  code=$?
  set -e
  lines="$(printf '%s\n' "$output" | grep -c . || true)"
  [ "$code" = 1 ] || fail "expected exit code 1 for the bad $variable, got $code: $output"
  [ "$lines" = 1 ] || fail "expected one line for the bad $variable, got $lines: $output"
  printf '%s\n' "$output" | grep -q "$variable" || fail "the message does not name $variable: $output"
  echo "refused (exit 1): $output"
}

# The instructions of one Dockerfile stage (`FROM … AS <name>` up to the next FROM), one per line:
# continuation lines are joined.
dockerfile_stage() {
  sed -e ':join' -e '/\\$/{N;s/\\\n[[:space:]]*/ /;b join' -e '}' Dockerfile |
    awk -v stage="$1" '
      toupper($1) == "FROM" { in_stage = (toupper($(NF-1)) == "AS" && $NF == stage) }
      in_stage'
}

# Fails unless the stage has an instruction matching the extended regular expression.
expect_in_stage() {
  local stage="$1" pattern="$2" why="$3"
  dockerfile_stage "$stage" | grep -qE "$pattern" || fail "Dockerfile, stage $stage: $why"
}

# Newer npm releases block dependency install scripts unless allowed (project .npmrc of this
# copy); the native modules need theirs. The image's npm (node:20) runs them by default.
allow_native_install_scripts() {
  if npm ci --help 2>/dev/null | grep -q -- '--allow-scripts'; then
    echo 'allow-scripts=bcrypt,better-sqlite3' >>"$1/.npmrc"
  fi
}

step "Copying the repository to $WORK/app"
mkdir -p "$WORK/app"
(
  cd "$ROOT"
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [ -f "$file" ] && printf '%s\0' "$file"; done |
    tar --null -T - -cf -
) | tar -xf - -C "$WORK/app"
cd "$WORK/app"

step "Dockerfile: what can be checked without a Docker engine"
# A `# syntax=` parser directive makes every BuildKit build fetch a frontend image from a registry.
! grep -qiE '^#[[:space:]]*syntax[[:space:]]*=' Dockerfile ||
  fail "the Dockerfile names a frontend (# syntax=…), which BuildKit fetches from a registry"
expect_in_stage toolchain '^ENV .*npm_config_nodedir=/' \
  "no npm_config_nodedir: node-gyp would download Node's headers"
expect_in_stage deps '^FROM toolchain ' "does not build on the toolchain stage"
expect_in_stage deps '^RUN npm ci --omit=dev .*&& sh scripts/slim-node-modules.sh node_modules' \
  "npm ci --omit=dev is not followed by scripts/slim-node-modules.sh"
expect_in_stage runtime '^COPY --from=deps /app/node_modules ' "node_modules is not the deps stage's"
grep -qxF '!scripts/slim-node-modules.sh' .dockerignore ||
  fail ".dockerignore keeps scripts/slim-node-modules.sh out of the build context"
echo "no # syntax line; npm_config_nodedir set; the deps stage runs scripts/slim-node-modules.sh"

step "Build stage: npm ci --ignore-scripts && npm run build"
npm ci --ignore-scripts --no-audit --no-fund --prefer-offline
npm run build
[ -f dist/main.js ] || fail "dist/main.js was not built"
[ -f dist/database/migrate.cli.js ] || fail "dist/database/migrate.cli.js was not built"

step "docker-compose.yml and the README's docker run"
# Parsed with js-yaml, a dependency of @nestjs/swagger (installed above by the build stage).
node -e '
  const fs = require("fs");
  const path = require("path");
  const swagger = path.dirname(require.resolve("@nestjs/swagger/package.json"));
  const yaml = require(require.resolve("js-yaml", { paths: [swagger] }));
  const problems = [];

  // The drain after SIGTERM: SHUTDOWN_DELAY_MS + SHUTDOWN_GRACE_MS, defaults from the source.
  // Every settings file under src/config (the settings are declared by area).
  const source = fs
    .readdirSync("src/config", { recursive: true })
    .filter((file) => String(file).endsWith(".ts") && !String(file).endsWith(".spec.ts"))
    .map((file) => fs.readFileSync(path.join("src/config", String(file)), "utf8"))
    .join("\n");
  const defaults = {};
  for (const name of ["SHUTDOWN_GRACE_MS", "SHUTDOWN_DELAY_MS"]) {
    const match = new RegExp(`\\b${name} = (\\d+);`).exec(source);
    if (!match) throw new Error(`no default of ${name} in src/config/`);
    defaults[name] = Number(match[1]);
  }
  const drainMs = (environment) =>
    ["SHUTDOWN_GRACE_MS", "SHUTDOWN_DELAY_MS"].reduce((sum, name) => {
      const value = String(environment[name] ?? defaults[name]);
      const number = /^\d+$/.test(value) ? value : (/^\$\{\w+:-(\d+)\}$/.exec(value) || [])[1];
      if (number === undefined) problems.push(`cannot evaluate ${name}=${value}`);
      return sum + Number(number ?? 0);
    }, 0);
  // A compose duration ("20s", "1m30s", "500ms"); unset, Docker waits 10 s.
  const durationMs = (text) => {
    if (text === undefined) return 10_000;
    const units = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
    const parts = [...String(text).matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
    if (parts.map((part) => part[0]).join("") !== String(text))
      problems.push(`bad duration ${text}`);
    return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * units[unit], 0);
  };
  const environmentOf = (service) =>
    Array.isArray(service.environment)
      ? Object.fromEntries(service.environment.map((entry) => entry.split(/=(.*)/s).slice(0, 2)))
      : service.environment || {};

  // YAML 1.1 schema (js-yaml 5; js-yaml 4 has it by default): compose files use merge keys (<<).
  const compose = yaml.load(fs.readFileSync("docker-compose.yml", "utf8"), {
    schema: yaml.YAML11_SCHEMA,
  });
  const services = Object.entries(compose.services);
  const built = services.filter(([, service]) => service.build !== undefined);
  if (built.length !== 1)
    problems.push(`one service must build the image, not ${built.length}: ` +
      built.map(([name]) => name).join(", "));
  const image = built[0]?.[1].image;
  if (!image) problems.push("the service that builds names no image: for the others to reuse");
  const app = services.filter(([, service]) => service.image === image);
  for (const [name, service] of services) {
    if (!service.image) problems.push(`${name}: no image:`);
    else if (!/:[\w][\w.-]*$/.test(service.image) || /:latest$/.test(service.image))
      problems.push(`${name}: the image ${service.image} has no pinned tag`);
    if (service.image && /^(?:docker\.io\/)?(?:library\/)?postgres:/.test(service.image)) {
      const test = [].concat(service.healthcheck?.test ?? []).join(" ");
      if (!/pg_isready .*-h 127\.0\.0\.1/.test(test))
        problems.push(`${name}: the healthcheck does not run pg_isready -h 127.0.0.1 (over TCP)`);
    }
  }
  for (const [name, service] of app) {
    if (service.command !== undefined) {
      // A one-shot step (migrate): the image HEALTHCHECK would probe a port nothing listens on.
      if (service.healthcheck?.disable !== true)
        problems.push(`${name}: a one-shot step without healthcheck: disable: true`);
    } else {
      const [grace, drain] = [durationMs(service.stop_grace_period), drainMs(environmentOf(service))];
      if (grace <= drain)
        problems.push(`${name}: stop_grace_period ${grace / 1000} s is not longer than ` +
          `SHUTDOWN_GRACE_MS + SHUTDOWN_DELAY_MS (${drain / 1000} s)`);
    }
  }
  if (!app.some(([, service]) => service.command !== undefined))
    problems.push("no one-shot migration step runs the image");

  // The README starts the service with docker run: Docker must wait longer than the drain.
  const runs = fs.readFileSync("README.md", "utf8").split("\n")
    .filter((line) => /^docker run .* account-service$/.test(line));
  if (runs.length === 0) problems.push("README.md has no docker run that starts the service");
  for (const line of runs) {
    const timeout = /--stop-timeout[ =](\d+)/.exec(line);
    if (!timeout || Number(timeout[1]) * 1000 <= drainMs({}))
      problems.push(`README.md: no --stop-timeout longer than ${drainMs({}) / 1000} s: ${line}`);
  }

  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log(`compose: ${app.map(([name]) => name).join(", ")} run ${image}, built once by ` +
    `${built[0][0]}; stop grace periods and --stop-timeout longer than the drain`);
' || fail "docker-compose.yml or the README's docker run"

step "Deps stage: npm ci --omit=dev && sh scripts/slim-node-modules.sh node_modules"
# The deps stage's commands (all but `npm cache clean`, which would empty this machine's cache) in
# a directory of their own, with the toolchain stage's settings: native modules are compiled
# against the headers of the Node.js that runs them.
NODE_DIR="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
[ -f "$NODE_DIR/include/node/node.h" ] || fail "no Node.js headers in $NODE_DIR/include/node"
mkdir -p "$WORK/deps/scripts"
cp package.json package-lock.json "$WORK/deps/"
cp scripts/slim-node-modules.sh "$WORK/deps/scripts/"
allow_native_install_scripts "$WORK/deps"
(
  cd "$WORK/deps"
  export npm_config_nodedir="$NODE_DIR" npm_config_build_from_source=better-sqlite3
  npm ci --omit=dev --no-audit --no-fund --prefer-offline
  sh scripts/slim-node-modules.sh node_modules
)

step "Runtime stage: the deps' node_modules and the build's dist/"
mkdir -p "$WORK/runtime"
mv "$WORK/deps/node_modules" "$WORK/runtime/"
cp -R dist package.json "$WORK/runtime/"
cd "$WORK/runtime"
for dev in jest @nestjs/cli eslint supertest smtp-server; do
  [ ! -e "node_modules/$dev" ] || fail "development dependency $dev is still installed"
done
for removed in typescript ts-node .bin/tsc better-sqlite3/deps better-sqlite3/src; do
  [ ! -e "node_modules/$removed" ] || fail "node_modules/$removed is still there"
done
leftovers="$(find node_modules \( -path '*/build/Release/obj*' -o -path '*/build/Release/.deps' \) \
  -prune -print)"
[ -z "$leftovers" ] || fail "native build leftovers are still there: $leftovers"
grep -qF "\"nodedir\": \"$NODE_DIR\"" node_modules/better-sqlite3/build/config.gypi ||
  fail "better-sqlite3 was not compiled against $NODE_DIR/include/node"
node -e "
  require('bcrypt').hashSync('x', 4);
  new (require('better-sqlite3'))(':memory:').close();
  require('pg');
" || fail "a production dependency (native module) does not load"
echo "bcrypt and better-sqlite3 load; no build leftovers, TypeScript or dev dependencies"

step "Fresh PostgreSQL database $DB_NAME"
psql "$PG_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE ${DB_NAME}"
DB_CREATED=1

step "Migrations as a separate step: node dist/database/migrate.cli.js"
env -i "${prod_env[@]}" node dist/database/migrate.cli.js
applied="$(psql "$DATABASE_URL" -tA -c 'SELECT count(*) FROM schema_migrations')"
[ "$applied" -ge 1 ] || fail "no migration was recorded"
echo "migrations recorded: $applied"
env -i "${prod_env[@]}" node dist/database/migrate.cli.js
again="$(psql "$DATABASE_URL" -tA -c 'SELECT count(*) FROM schema_migrations')"
[ "$again" = "$applied" ] || fail "a second run changed the migrations ($applied -> $again)"

step "APP_ROLE=api with NODE_ENV=production"
start_app "$WORK/api.log" APP_ROLE=api
API="http://127.0.0.1:$APP_PORT"
wait_ready "$API"
echo "/health/ready: 200"
[ "$(http_status "$API/health/live")" = 200 ] || fail "/health/live is not 200"
[ "$(http_status "$API/api/docs-json")" = 200 ] || fail "/api/docs-json is not 200"
node -e '
  fetch(process.argv[1]).then((r) => r.json()).then((doc) => {
    if (!doc.openapi || !doc.paths["/api/v1/auth/login"]) throw new Error("not the OpenAPI document");
  }).catch((e) => { console.error(e.message); process.exit(1); });
' "$API/api/docs-json" || fail "/api/docs-json is not the OpenAPI document"
echo "/api/docs-json: 200, OpenAPI document"
[ "$(http_status "$API/metrics")" = 401 ] || fail "/metrics without the token is not 401"
[ "$(http_status "$API/metrics" "$METRICS_TOKEN")" = 200 ] || fail "/metrics with the token is not 200"
echo "/metrics: 401 without, 200 with METRICS_TOKEN"
grep -q '"level":30' "$WORK/api.log" || fail "the log is not structured JSON"
stop_app "$APP_PID" "$WORK/api.log"

step "APP_ROLE=worker with NODE_ENV=production"
start_app "$WORK/worker.log" APP_ROLE=worker
wait_ready "http://127.0.0.1:$APP_PORT"
echo "/health/ready: 200"
[ "$(http_status "http://127.0.0.1:$APP_PORT/api/docs-json")" = 404 ] || fail "the worker serves the API"
stop_app "$APP_PID" "$WORK/worker.log"

step "Refusals with NODE_ENV=production"
expect_refusal APP_SECRET APP_SECRET=
expect_refusal SMS_PROVIDER SMS_PROVIDER=log
