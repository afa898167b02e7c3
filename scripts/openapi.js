#!/usr/bin/env node
/**
 * Writes docs/openapi.json: the OpenAPI document that the built service (dist/main.js) serves at
 * /api/docs-json, fetched from an instance started for this on a throwaway SQLite file (it needs
 * no Redis; with one, it uses a queue prefix of its own). `npm run openapi` builds first.
 *
 * The output is the served document as it is (its order follows the code; it holds no time or
 * host), pretty-printed with two spaces and a final newline. test/openapi-document.e2e-spec.ts
 * fails when the served document and the committed file differ.
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'openapi.json');
const START_TIMEOUT_MS = 60_000;

/** Starts dist/main.js and resolves to [its port, the process] once it listens. */
function start(dir) {
  const app = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      APP_ROLE: 'api',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${join(dir, 'openapi.sqlite')}`,
      MESSAGE_LOG_DIR: join(dir, 'messages'),
      QUEUE_PREFIX: `openapi-${process.pid}`,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`not listening after ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const fail = (why) => {
      clearTimeout(timer);
      app.kill('SIGKILL');
      reject(new Error(`The service ${why}:\n${output.slice(-3000)}`));
    };
    const read = (chunk) => {
      output += chunk.toString();
      const port = /Listening on port (\d+)/.exec(output);
      if (port) {
        clearTimeout(timer);
        resolve([Number(port[1]), app]);
      }
    };
    app.stdout.on('data', read);
    app.stderr.on('data', read);
    app.once('exit', (code) => fail(`exited with ${code}`));
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  let app;
  try {
    const [port, started] = await start(dir);
    app = started;
    const response = await fetch(`http://127.0.0.1:${port}/api/docs-json`);
    if (!response.ok) throw new Error(`GET /api/docs-json answered ${response.status}`);
    const document = await response.json();
    writeFileSync(OUT, `${JSON.stringify(document, null, 2)}\n`);
    const operations = Object.values(document.paths).reduce(
      (n, item) => n + Object.keys(item).length,
      0,
    );
    console.log(`Wrote ${relative(process.cwd(), OUT)} (${operations} operations)`);
  } finally {
    if (app) {
      app.removeAllListeners('exit');
      const exited = new Promise((resolve) => app.once('exit', resolve));
      app.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
