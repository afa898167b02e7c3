import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import {
  benchEmail,
  createDatabase,
  deviceToken,
  dropDatabase,
  seed,
  sessionToken,
} from './database';
import { cannon, JsonResponse, postJson } from './load';
import { ServerProcess } from './processes';
import { log, Report } from './report';
import { Fleet } from './service';
import {
  BCRYPT_ROUNDS,
  DELIVERY_BCRYPT_ROUNDS,
  DELIVERY_RATE,
  DELIVERY_WARM_USERS,
  LARGE_USERS,
  ME_CONNECTIONS,
  Options,
  PASSWORD,
  REDIS_URL,
  RUN_ID,
  SALT,
  SMALL_USERS,
} from './settings';
import { BenchSmsSink, BenchSmtpSink } from './sinks';

/** What the measures share: the processes, databases, sinks and options of the run. */
export interface BenchContext {
  options: Options;
  report: Report;
  smtp: BenchSmtpSink;
  sms: BenchSmsSink;
  /** The service as deployed (session cache on), 1k users. */
  small: ServerProcess;
  /** The same database, SESSION_CACHE_SIZE=0: every session check queries PostgreSQL. */
  smallDb: ServerProcess;
  /** SESSION_CACHE_SIZE=0 on a database of 100k users. */
  large: ServerProcess;
  bareExpress: ServerProcess;
  bareFastify: ServerProcess;
  /** The BCRYPT_ROUNDS hash of PASSWORD that every bench user has. */
  hash: string;
  /** Delivery users 1..deliveryUsers are measured; the next DELIVERY_WARM_USERS warm the pool. */
  deliveryUsers: number;
  randomSession: (users: number) => () => string;
  randomInvalid: () => string;
  /** A trusted-device password login (200 with a session): user `pick`, else the next of 1..700. */
  trustedLogin: (server: ServerProcess, users: number, pick?: number) => Promise<JsonResponse>;
}

/** What a run opens before it starts the service: sinks, databases, the process list. */
export interface Run {
  logDir: string;
  smtp: BenchSmtpSink;
  sms: BenchSmsSink;
  fleet: Fleet;
  databases: { small: string; large: string };
}

const randomSession = (users: number) => (): string =>
  sessionToken(SALT, 1 + Math.floor(Math.random() * users));

// A new well-formed token every time (the length and alphabet of real ones, no valid tag), as
// an attacker would send: nothing can be remembered about it.
const randomInvalid = (): string => randomBytes(48).toString('base64url');

/** Users 1..700 log in on their trusted device; 701..1000 are for the wrong-password timing. */
function trustedLogins(): BenchContext['trustedLogin'] {
  let nextLogin = 0;
  return async (server, users, pick) => {
    const i = pick ?? 1 + (nextLogin++ % Math.min(users, 700));
    const res = await postJson(`${server.url}/api/v1/auth/login`, {
      email: benchEmail(i),
      password: PASSWORD,
      deviceToken: deviceToken(SALT, i),
    });
    if (res.status !== 200) throw new Error(`trusted login answered ${res.status}`);
    return res;
  };
}

/** The sinks and the (empty) databases; tearDown closes them. */
export async function openRun(options: Options): Promise<Run> {
  const logDir = mkdtempSync(join(tmpdir(), 'account-bench-'));
  log(`${options.quick ? 'quick' : 'full'} run; logs in ${logDir}`);
  const smtp = new BenchSmtpSink();
  const sms = new BenchSmsSink();
  await Promise.all([smtp.start(), sms.start()]);
  const databases = { small: `bench_small_${RUN_ID}`, large: `bench_large_${RUN_ID}` };
  await Promise.all([createDatabase(databases.small), createDatabase(databases.large)]);
  return { logDir, smtp, sms, fleet: new Fleet(logDir, smtp.url, sms.url), databases };
}

/** Service instances and baselines started, seeded with bulk SQL, warmed up. */
export async function setUp(run: Run, options: Options, report: Report): Promise<BenchContext> {
  const { fleet, databases } = run;
  log('starting the service (1k and 100k users), the bare baselines, hashing passwords');
  // app-1k runs as deployed (session cache on). The growth measure and the database-path
  // reference use instances with SESSION_CACHE_SIZE=0: a cache hit never touches the tables.
  const noCache = { SESSION_CACHE_SIZE: '0' };
  const [small, smallDb, large, bareExpress, bareFastify, hash, deliveryHash] = await Promise.all([
    fleet.startApp('app-1k', databases.small),
    fleet.startApp('app-1k-db', databases.small, noCache),
    fleet.startApp('app-100k-db', databases.large, noCache),
    fleet.startBaseline('express'),
    fleet.startBaseline('fastify'),
    bcrypt.hash(PASSWORD, BCRYPT_ROUNDS),
    bcrypt.hash(PASSWORD, DELIVERY_BCRYPT_ROUNDS),
  ]);
  const deliveryUsers = Math.ceil(DELIVERY_RATE * options.plan.deliverySeconds);
  log('seeding with bulk SQL');
  await Promise.all([
    seed(databases.small, {
      users: SMALL_USERS,
      hash,
      deliveryUsers: deliveryUsers + DELIVERY_WARM_USERS,
      deliveryHash,
      salt: SALT,
    }),
    seed(databases.large, { users: LARGE_USERS, hash, deliveryUsers: 0, deliveryHash, salt: SALT }),
  ]);
  const { smtp, sms } = run;
  const ctx: BenchContext = {
    ...{ options, report, smtp, sms, small, smallDb, large, bareExpress, bareFastify, hash },
    deliveryUsers,
    randomSession,
    randomInvalid,
    trustedLogin: trustedLogins(),
  };
  await warmUp(ctx);
  return ctx;
}

/**
 * The servers of a compared pair get the same warm-up (V8 optimises the request path; the
 * service's pools connect and its session cache fills). Quick mode gives the full warm-up to
 * the pair of the GET /me target and 1 s to the others (the growth pair is warmed again before
 * its own measure).
 */
async function warmUp(ctx: BenchContext): Promise<void> {
  log('warming up');
  const { options, small, bareExpress } = ctx;
  const warmSeconds = (server: ServerProcess): number =>
    options.quick && server !== small && server !== bareExpress ? 1 : options.plan.warmSeconds;
  for (const server of [small, ctx.smallDb, ctx.large]) {
    await ctx.trustedLogin(server, SMALL_USERS);
    await ctx.trustedLogin(server, SMALL_USERS);
    const me = await cannon({
      url: server.url,
      path: '/api/v1/me',
      connections: ME_CONNECTIONS,
      duration: warmSeconds(server),
      token: randomSession(SMALL_USERS),
    });
    if (!me.byStatus['200'] || Object.keys(me.byStatus).length > 1)
      throw new Error(`GET /me warm-up answered ${JSON.stringify(me.byStatus)}`);
  }
  for (const server of [bareExpress, ctx.bareFastify]) {
    await cannon({
      url: server.url,
      path: '/ok',
      connections: ME_CONNECTIONS,
      duration: warmSeconds(server),
    });
  }
}

/** Stops every process, drops the databases, removes the run's Redis keys. */
export async function tearDown(run: Run): Promise<void> {
  await run.fleet.stopAll();
  await Promise.allSettled([
    run.smtp.stop(),
    run.sms.stop(),
    dropDatabase(run.databases.small),
    dropDatabase(run.databases.large),
  ]);
  await clearQueues();
}

/** Removes the benchmark's Bull keys from Redis. */
async function clearQueues(): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `bench-${RUN_ID}-*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis gone: nothing to clean.
  } finally {
    redis.disconnect();
  }
}
