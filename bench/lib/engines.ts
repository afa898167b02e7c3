/**
 * The service on each database engine: its instances, seeded with the same users, trusted
 * devices and sessions with bulk SQL.
 */
import { join } from 'node:path';
import { createDatabase, databaseUrl, dropDatabase, seed, SeedSpec } from './database';
import { ServerProcess } from './processes';
import { log } from './report';
import { Fleet, Launch } from './service';
import { ENGINE_LABELS, EngineId, LARGE_USERS, RUN_ID, SALT, SMALL_USERS } from './settings';
import { migrateSqlite, removeSqliteFiles, seedSqlite, sqliteUrl } from './sqlite';

export interface Engine {
  id: EngineId;
  label: string;
  /** The service as deployed, 1k users (+ the code-delivery users). */
  app: ServerProcess;
  /**
   * The same users with SESSION_CACHE_SIZE=0 (every check queries the database): app's database
   * on PostgreSQL, a file of its own seeded alike on SQLite (one process per file).
   */
  appDb: ServerProcess;
  /** The 1k side of the growth measure, on the database path: appDb. */
  growthSmall: ServerProcess;
  /** 100k users, SESSION_CACHE_SIZE=0; only when the growth measure runs. */
  large?: ServerProcess;
  /** A new instance with 1k users (on a database of its own on SQLite), for the memory measure. */
  startFresh: (name: string, launch: Launch) => Promise<ServerProcess>;
}

export interface Hashes {
  /** The BCRYPT_ROUNDS hash of PASSWORD that every bench user has. */
  hash: string;
  /** The hash of the code-delivery users (DELIVERY_BCRYPT_ROUNDS). */
  deliveryHash: string;
}

export interface EngineSetup {
  fleet: Fleet;
  logDir: string;
  hashes: Promise<Hashes>;
  /** Code-delivery users in the 1k database. */
  deliveryUsers: number;
  /** Start the 100k instance (the growth measure runs). */
  large: boolean;
}

const spec = (users: number, deliveryUsers: number, hashes: Hashes): SeedSpec => ({
  users,
  deliveryUsers,
  ...hashes,
  salt: SALT,
});

/** PostgreSQL: the instances migrate their databases as they start; then the seeding. */
async function startPostgres(setup: EngineSetup): Promise<Engine> {
  const { fleet } = setup;
  const small = databaseUrl(`bench_small_${RUN_ID}`);
  const large = databaseUrl(`bench_large_${RUN_ID}`);
  // app-1k runs as deployed (session cache on). The growth measure and the database-path
  // reference use instances with SESSION_CACHE_SIZE=0: a cache hit never touches the tables.
  const noCache = { extra: { SESSION_CACHE_SIZE: '0' } };
  const [app, appDb, big] = await Promise.all([
    fleet.startApp('app-1k', small),
    fleet.startApp('app-1k-db', small, noCache),
    setup.large ? fleet.startApp('app-100k-db', large, noCache) : undefined,
  ]);
  const hashes = await setup.hashes;
  log('seeding PostgreSQL with bulk SQL');
  await Promise.all([
    seed(`bench_small_${RUN_ID}`, spec(SMALL_USERS, setup.deliveryUsers, hashes)),
    big ? seed(`bench_large_${RUN_ID}`, spec(LARGE_USERS, 0, hashes)) : undefined,
  ]);
  return {
    ...{ id: 'postgres', label: ENGINE_LABELS.postgres, app, appDb, growthSmall: appDb },
    large: big,
    startFresh: (name, launch) => fleet.startApp(name, small, launch),
  };
}

/** An SQLite file migrated by the service's migration command, seeded before the service starts. */
async function sqliteFile(
  setup: EngineSetup,
  name: string,
  users: number,
  deliveryUsers: number,
): Promise<string> {
  const file = join(setup.logDir, `${name}.sqlite`);
  await migrateSqlite(setup.fleet.env(name, sqliteUrl(file)));
  const hashes = await setup.hashes;
  seedSqlite(file, spec(users, deliveryUsers, hashes));
  return sqliteUrl(file);
}

/** SQLite: one file per instance (SQLite is owned by the process that serves it). */
async function startSqlite(setup: EngineSetup): Promise<Engine> {
  const { fleet } = setup;
  log('migrating and seeding SQLite with bulk SQL');
  const [small, smallDb, large] = await Promise.all([
    sqliteFile(setup, 'app-1k-sqlite', SMALL_USERS, setup.deliveryUsers),
    sqliteFile(setup, 'app-1k-sqlite-db', SMALL_USERS, 0),
    setup.large ? sqliteFile(setup, 'app-100k-sqlite-db', LARGE_USERS, 0) : undefined,
  ]);
  const noCache = { extra: { SESSION_CACHE_SIZE: '0' } };
  const [app, appDb, big] = await Promise.all([
    fleet.startApp('app-1k-sqlite', small),
    fleet.startApp('app-1k-sqlite-db', smallDb, noCache),
    large ? fleet.startApp('app-100k-sqlite-db', large, noCache) : undefined,
  ]);
  return {
    ...{ id: 'sqlite', label: ENGINE_LABELS.sqlite, app, appDb, growthSmall: appDb },
    large: big,
    startFresh: async (name, launch) =>
      fleet.startApp(name, await sqliteFile(setup, name, SMALL_USERS, 0), launch),
  };
}

export function startEngine(id: EngineId, setup: EngineSetup): Promise<Engine> {
  return id === 'postgres' ? startPostgres(setup) : startSqlite(setup);
}

/** The PostgreSQL databases of a run (created before, dropped after). */
export async function createPostgresDatabases(large: boolean): Promise<void> {
  await Promise.all([
    createDatabase(`bench_small_${RUN_ID}`),
    large ? createDatabase(`bench_large_${RUN_ID}`) : undefined,
  ]);
}

export async function dropEngineData(logDir: string): Promise<void> {
  await Promise.allSettled([
    dropDatabase(`bench_small_${RUN_ID}`),
    dropDatabase(`bench_large_${RUN_ID}`),
  ]);
  removeSqliteFiles(logDir);
}
