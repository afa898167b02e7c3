#!/usr/bin/env node
// Generates a migration for each engine from the difference between the entities and the schema
// that the committed migrations produce: `npm run migration:generate -- AddSomething`.
// SQLite uses a throw-away file; PostgreSQL a throw-away database next to PG_ADMIN_URL
// (default postgres://postgres@127.0.0.1:5432/postgres).
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const name = process.argv[2];
if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
  console.error('Usage: npm run migration:generate -- MigrationName');
  process.exit(1);
}
const cli = ['typeorm-ts-node-commonjs', '-d', 'ormconfig.ts'];
const run = (env, args) =>
  execFileSync('npx', [...cli, ...args], { stdio: 'inherit', env: { ...process.env, ...env } });

const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
try {
  const sqlite = { DATABASE_URL: `sqlite:${join(dir, 'gen.sqlite')}` };
  run(sqlite, ['migration:run']);
  run(sqlite, ['migration:generate', `src/database/migrations/sqlite/${name}`]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const admin = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const db = `migration_gen_${process.pid}`;
const psql = (sql) => execFileSync('psql', [admin, '-qc', sql], { stdio: 'inherit' });
psql(`CREATE DATABASE ${db}`);
try {
  const pg = { DATABASE_URL: admin.replace(/\/[^/]*$/, `/${db}`) };
  run(pg, ['migration:run']);
  run(pg, ['migration:generate', `src/database/migrations/postgres/${name}`]);
} finally {
  psql(`DROP DATABASE ${db}`);
}
