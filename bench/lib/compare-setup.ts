/**
 * The two builds of a comparison (`npm run bench:compare`): each checkout's `dist/` runs as the
 * service on each engine, on a database of its own seeded with the same rows.
 */
import * as bcrypt from 'bcrypt';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDatabase, databaseUrl, dropDatabase, seed, SeedSpec } from './database';
import { Hashes } from './engines';
import { ServerProcess } from './processes';
import { log } from './report';
import { Fleet } from './service';
import {
  BCRYPT_ROUNDS,
  DELIVERY_BCRYPT_ROUNDS,
  EngineId,
  PASSWORD,
  RUN_ID,
  SALT,
  SMALL_USERS,
} from './settings';
import { migrateSqlite, seedSqlite, sqliteUrl } from './sqlite';

/** One side of the comparison: a checkout with a built `dist/`. */
export interface Build {
  /** `before` (the first directory given) or `after`. */
  side: 'before' | 'after';
  root: string;
  /** Its commit (short hash), or `?` when the directory is no git checkout. */
  commit: string;
}

/** The service of one build on one engine, 1k users (+ the code-delivery users). */
export interface Instance {
  build: Build;
  engine: EngineId;
  server: ServerProcess;
  /**
   * PostgreSQL only: the same build on the same database with SESSION_CACHE_SIZE=0, every
   * session check a query (the database path of `npm run bench`'s app-1k-db).
   */
  dbServer?: ServerProcess;
}

export function openBuild(side: Build['side'], dir: string): Build {
  const root = resolve(dir);
  if (!existsSync(join(root, 'dist', 'main.js')))
    throw new Error(`${root}/dist/main.js is missing: build that checkout first (npx nest build)`);
  let commit = '?';
  try {
    commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' })
      .trim()
      .slice(0, 12);
  } catch {
    // not a git checkout: the directory alone names it
  }
  return { side, root, commit };
}

const pgName = (build: Build): string => `bench_cmp_${build.side}_${RUN_ID}`;

export async function hashPasswords(): Promise<Hashes> {
  const [hash, deliveryHash] = await Promise.all([
    bcrypt.hash(PASSWORD, BCRYPT_ROUNDS),
    bcrypt.hash(PASSWORD, DELIVERY_BCRYPT_ROUNDS),
  ]);
  return { hash, deliveryHash };
}

const spec = (deliveryUsers: number, hashes: Hashes): SeedSpec => ({
  users: SMALL_USERS,
  deliveryUsers,
  ...hashes,
  salt: SALT,
});

/**
 * PostgreSQL: the build's instance migrates its own database as it starts (as deployed, session
 * cache on); then the bulk seeding.
 */
async function startPostgres(
  fleet: Fleet,
  build: Build,
  deliveryUsers: number,
  hashes: Hashes,
): Promise<Pick<Instance, 'server' | 'dbServer'>> {
  const name = pgName(build);
  await createDatabase(name);
  const server = await fleet.startApp(`${build.side}-postgres`, databaseUrl(name), {
    root: build.root,
  });
  const dbServer = await fleet.startApp(`${build.side}-postgres-db`, databaseUrl(name), {
    ...{ root: build.root, extra: { SESSION_CACHE_SIZE: '0' } },
  });
  await seed(name, spec(deliveryUsers, hashes));
  return { server, dbServer };
}

/** SQLite: a file migrated by the build's own migration command, seeded before it starts. */
async function startSqlite(
  fleet: Fleet,
  logDir: string,
  build: Build,
  deliveryUsers: number,
  hashes: Hashes,
): Promise<ServerProcess> {
  const name = `${build.side}-sqlite`;
  const file = join(logDir, `${name}.sqlite`);
  await migrateSqlite(fleet.env(name, sqliteUrl(file)), build.root);
  seedSqlite(file, spec(deliveryUsers, hashes));
  return fleet.startApp(name, sqliteUrl(file), { root: build.root });
}

/** Every build on every engine, one at a time (so that start-up does not compete). */
export async function startInstances(
  fleet: Fleet,
  logDir: string,
  builds: Build[],
  engines: EngineId[],
  deliveryUsers: number,
): Promise<Instance[]> {
  const hashes = await hashPasswords();
  const instances: Instance[] = [];
  for (const engine of engines) {
    for (const build of builds) {
      log(`starting ${build.side} (${build.commit}, ${build.root}) on ${engine}, seeding`);
      const servers =
        engine === 'postgres'
          ? await startPostgres(fleet, build, deliveryUsers, hashes)
          : { server: await startSqlite(fleet, logDir, build, deliveryUsers, hashes) };
      instances.push({ build, engine, ...servers });
    }
  }
  return instances;
}

/** Drops the comparison's PostgreSQL databases. */
export async function dropCompareDatabases(builds: Build[]): Promise<void> {
  await Promise.allSettled(builds.map((build) => dropDatabase(pgName(build))));
}
