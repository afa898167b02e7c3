import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SessionTokens } from '../../src/auth/sessions/session-token';

/** The APP_SECRET of every service instance of a run: the benchmark makes their session tokens. */
export const BENCH_APP_SECRET = randomBytes(32).toString('hex');
const tokens = new SessionTokens(BENCH_APP_SECRET);

const ADMIN_URL =
  process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The connection URL of database `name` on the benchmark's PostgreSQL server. */
export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export interface SeedSpec {
  /** Users bench-<i>@example.com, each with one trusted device and one open session. */
  users: number;
  /** cost-12 (BCRYPT_ROUNDS) hash of BENCH_PASSWORD. */
  hash: string;
  /** Users deliver-<i>@example.com: two-factor on, no trusted device (a code is sent). */
  deliveryUsers: number;
  /** Their hash: the cost of this measure is stated in the README. */
  deliveryHash: string;
  /** Mixed into every token so that tokens of different runs never match. */
  salt: string;
}

/**
 * The bearer token of seeded session i, made as the service makes them (random part + tag, see
 * src/auth/session-token.ts) from a known random part; its SHA-256 is what the database holds.
 */
export const sessionToken = (salt: string, i: number): string =>
  tokens.encode(createHash('sha256').update(`bench-session-${salt}-${i}`).digest());
const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');
export const deviceToken = (salt: string, i: number): string => `bench-device-${salt}-${i}`;
export const benchEmail = (i: number): string => `bench-${i}@example.com`;
export const deliveryEmail = (i: number): string => `deliver-${i}@example.com`;

/**
 * Bulk SQL seeding straight into PostgreSQL (generate_series, a handful of statements whatever
 * the size): accounts, active two-factor users, a trusted device and a session for each.
 */
export async function seed(name: string, spec: SeedSpec): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    await client.query('SET timezone = UTC');
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO accounts (id, name, require_two_factor)
       SELECT md5('acct' || i)::uuid, 'Bench ' || i, false FROM generate_series(1, $1::int) i`,
      [spec.users + spec.deliveryUsers],
    );
    await client.query(
      `INSERT INTO users (id, account_id, email, name, role, status, password_hash, two_factor_enabled)
       SELECT md5('user' || i)::uuid, md5('acct' || i)::uuid, 'bench-' || i || '@example.com',
              'Bench user ' || i, 'owner', 'active', $2, true
       FROM generate_series(1, $1::int) i`,
      [spec.users, spec.hash],
    );
    await client.query(
      `INSERT INTO users (id, account_id, email, name, role, status, password_hash, two_factor_enabled)
       SELECT md5('user' || ($1::int + i))::uuid, md5('acct' || ($1::int + i))::uuid,
              'deliver-' || i || '@example.com', 'Delivery user ' || i, 'owner', 'active', $3, true
       FROM generate_series(1, $2::int) i`,
      [spec.users, spec.deliveryUsers, spec.deliveryHash],
    );
    await client.query(
      `INSERT INTO trusted_devices (id, token_hash, user_id, name, user_agent, ip, last_used_at)
       SELECT md5('dev' || i)::uuid,
              encode(sha256(convert_to('bench-device-' || $2 || '-' || i, 'UTF8')), 'hex'),
              md5('user' || i)::uuid, 'Bench device', 'bench', '127.0.0.1', now()
       FROM generate_series(1, $1::int) i`,
      [spec.users, spec.salt],
    );
    // Session tokens carry a tag made with the service's key: hashed here, not in SQL.
    const sessionHashes = Array.from({ length: spec.users }, (_, k) =>
      sha256Hex(sessionToken(spec.salt, k + 1)),
    );
    await client.query(
      `INSERT INTO sessions (id, token_hash, user_id, device_id, ip, user_agent, expires_at)
       SELECT md5('sess' || i)::uuid, h, md5('user' || i)::uuid, md5('dev' || i)::uuid,
              '127.0.0.1', 'bench', now() + interval '1 day'
       FROM unnest($1::text[]) WITH ORDINALITY AS t(h, i)`,
      [sessionHashes],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
