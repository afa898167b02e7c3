import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SeedSpec, sessionToken } from './database';
import { ROOT } from './processes';

const run = promisify(execFile);

/** DATABASE_URL of an SQLite file, as the service reads it. */
export const sqliteUrl = (file: string): string => `sqlite:${file}`;

/**
 * Creates the schema in `file` as an operator would before the first start: the service's own
 * migration command (`node dist/database/migrate.cli.js`), with the service's settings; of the
 * build in `root` (this checkout by default).
 */
export async function migrateSqlite(env: Record<string, string>, root = ROOT): Promise<void> {
  try {
    await run(process.execPath, [join(root, 'dist', 'database', 'migrate.cli.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`migrations on ${env.DATABASE_URL} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

const hex = (value: string, algorithm: 'md5' | 'sha256'): string =>
  createHash(algorithm).update(value).digest('hex');

/** PostgreSQL's md5(value)::uuid, so that both engines hold the same ids. */
const md5Uuid = (value: string): string =>
  hex(value, 'md5').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/**
 * Rows 1..@n (none when @n is 0), as generate_series on PostgreSQL. (Parameters are bound as
 * REAL: @first is cast where it makes text.)
 */
const SERIES =
  'WITH RECURSIVE s(i) AS (SELECT 1 WHERE @n > 0 UNION ALL SELECT i + 1 FROM s WHERE i < @n)';
/** TypeORM's datetime text on SQLite (UTC, milliseconds). */
const NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')";

const STATEMENTS = [
  `${SERIES} INSERT INTO accounts (id, name, require_two_factor)
     SELECT bench_uuid('acct' || (CAST(@first AS INTEGER) + i)), 'Bench ' || (CAST(@first AS INTEGER) + i), 0 FROM s`,
  `${SERIES} INSERT INTO users (id, account_id, email, name, role, status, password_hash, two_factor_enabled)
     SELECT bench_uuid('user' || i), bench_uuid('acct' || i), 'bench-' || i || '@example.com',
            'Bench user ' || i, 'owner', 'active', @hash, 1 FROM s`,
  `${SERIES} INSERT INTO users (id, account_id, email, name, role, status, password_hash, two_factor_enabled)
     SELECT bench_uuid('user' || (CAST(@first AS INTEGER) + i)), bench_uuid('acct' || (CAST(@first AS INTEGER) + i)),
            'deliver-' || i || '@example.com', 'Delivery user ' || i, 'owner', 'active', @hash, 1
     FROM s`,
  `${SERIES} INSERT INTO trusted_devices (id, token_hash, user_id, name, user_agent, ip, last_used_at)
     SELECT bench_uuid('dev' || i), bench_sha256('bench-device-' || @salt || '-' || i),
            bench_uuid('user' || i), 'Bench device', 'bench', '127.0.0.1', ${NOW} FROM s`,
  `${SERIES} INSERT INTO sessions (id, token_hash, user_id, device_id, ip, user_agent, expires_at)
     SELECT bench_uuid('sess' || i), bench_session_hash(i), bench_uuid('user' || i),
            bench_uuid('dev' || i), '127.0.0.1', 'bench', strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 day')
     FROM s`,
];

/**
 * The same rows as `seed` puts into PostgreSQL, with bulk SQL in one transaction (a recursive
 * series; ids, token hashes and session tags from functions registered on the connection).
 * Run before the service starts: SQLite is owned by the one process that serves it.
 */
export function seedSqlite(file: string, spec: SeedSpec): void {
  const db = new Database(file);
  try {
    // Room for the whole database in this connection's page cache while it is written.
    db.pragma('cache_size = -262144');
    db.function('bench_uuid', { deterministic: true }, (value: string) => md5Uuid(value));
    db.function('bench_sha256', { deterministic: true }, (value: string) => hex(value, 'sha256'));
    db.function('bench_session_hash', { deterministic: true }, (i: number) =>
      hex(sessionToken(spec.salt, i), 'sha256'),
    );
    const [accounts, users, deliveryUsers, devices, sessions] = STATEMENTS.map((sql) =>
      db.prepare(sql),
    );
    db.transaction(() => {
      accounts.run({ n: spec.users + spec.deliveryUsers, first: 0 });
      users.run({ n: spec.users, hash: spec.hash });
      deliveryUsers.run({ n: spec.deliveryUsers, first: spec.users, hash: spec.deliveryHash });
      devices.run({ n: spec.users, salt: spec.salt });
      sessions.run({ n: spec.users });
    })();
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

/** Removes the SQLite files (database, WAL, shared memory) of a run's directory. */
export function removeSqliteFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (/\.sqlite(-wal|-shm)?$/.test(name)) rmSync(join(dir, name), { force: true });
  }
}
