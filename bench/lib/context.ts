import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { benchEmail, deviceToken, sessionToken } from './database';
import { createPostgresDatabases, dropEngineData, Engine, Hashes, startEngine } from './engines';
import { cannon, JsonResponse, postJson } from './load';
import { ServerProcess } from './processes';
import { log, Report } from './report';
import { Fleet } from './service';
import {
  Adapter,
  BCRYPT_ROUNDS,
  DELIVERY_BCRYPT_ROUNDS,
  DELIVERY_RATE,
  DELIVERY_WARM_USERS,
  ME_CONNECTIONS,
  Options,
  PASSWORD,
  REDIS_URL,
  RUN_ID,
  SALT,
  SERVICE_ADAPTER,
  SMALL_USERS,
  wanted,
} from './settings';
import { BenchSmsSink, BenchSmtpSink } from './sinks';

/** What the measures share: the processes, databases, sinks and options of the run. */
export interface BenchContext {
  options: Options;
  report: Report;
  smtp: BenchSmtpSink;
  sms: BenchSmsSink;
  /** The service on each engine of the run, PostgreSQL first. */
  engines: Engine[];
  /** The bare NestJS `GET /ok` on each adapter. */
  bare: Record<Adapter, ServerProcess>;
  /** The bare route of the adapter the service runs on (BENCH_SERVICE_ADAPTER). */
  bareService: ServerProcess;
  /** The BCRYPT_ROUNDS hash of PASSWORD that every bench user has. */
  hash: string;
  /**
   * Delivery users 1..deliveryUsers are measured; the next DELIVERY_WARM_USERS warm the pool;
   * the one after them sends the code after the quiet spell.
   */
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
}

const randomSession = (users: number) => (): string =>
  sessionToken(SALT, 1 + Math.floor(Math.random() * users));

// A new well-formed token each call (the length and alphabet of real ones, no valid tag), as an
// attacker would send. A connection sends its REQUESTS_PER_CONNECTION of them in turn: the
// service keeps nothing of a token without its tag, so a repeat costs it what a new one does.
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

/** The sinks and the (empty) PostgreSQL databases; tearDown closes them. */
export async function openRun(options: Options): Promise<Run> {
  const logDir = mkdtempSync(join(tmpdir(), 'account-bench-'));
  log(`${options.quick ? 'quick' : 'full'} run; logs in ${logDir}`);
  const smtp = new BenchSmtpSink();
  const sms = new BenchSmsSink();
  await Promise.all([smtp.start(), sms.start()]);
  if (options.engines.includes('postgres'))
    await createPostgresDatabases(wanted(options, 'growth'));
  return { logDir, smtp, sms, fleet: new Fleet(logDir, smtp.url, sms.url) };
}

async function hashPasswords(): Promise<Hashes> {
  const [hash, deliveryHash] = await Promise.all([
    bcrypt.hash(PASSWORD, BCRYPT_ROUNDS),
    bcrypt.hash(PASSWORD, DELIVERY_BCRYPT_ROUNDS),
  ]);
  return { hash, deliveryHash };
}

/** Service instances on each engine and the baselines started, seeded, warmed up. */
export async function setUp(run: Run, options: Options, report: Report): Promise<BenchContext> {
  const { fleet, logDir, smtp, sms } = run;
  const engineNames = options.engines.join(' and ');
  log(`starting the service on ${engineNames}, the bare baselines, hashing passwords`);
  const hashes = hashPasswords();
  const deliveryUsers = Math.ceil(DELIVERY_RATE * options.plan.deliverySeconds);
  const setup = {
    ...{ fleet, logDir, hashes, large: wanted(options, 'growth') },
    deliveryUsers: deliveryUsers + DELIVERY_WARM_USERS + 1,
  };
  const [engines, express, fastify] = await Promise.all([
    Promise.all(options.engines.map((id) => startEngine(id, setup))),
    fleet.startBaseline('express'),
    fleet.startBaseline('fastify'),
  ]);
  const bare = { express, fastify };
  const ctx: BenchContext = {
    ...{ options, report, smtp, sms, engines, bare, bareService: bare[SERVICE_ADAPTER] },
    hash: (await hashes).hash,
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
 * the servers of the GET /me targets (the service as deployed on each engine, both bare
 * routes) and 1 s to the others (the growth pairs are warmed again before their own measure).
 */
async function warmUp(ctx: BenchContext): Promise<void> {
  log('warming up');
  const { options, engines } = ctx;
  const full = new Set([...engines.map((e) => e.app), ctx.bare.express, ctx.bare.fastify]);
  const warmSeconds = (server: ServerProcess): number =>
    options.quick && !full.has(server) ? 1 : options.plan.warmSeconds;
  const services = engines.flatMap((e) => [e.app, e.appDb, e.large]);
  for (const server of services.filter((s): s is ServerProcess => s !== undefined)) {
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
      throw new Error(`GET /me warm-up (${server.name}) answered ${JSON.stringify(me.byStatus)}`);
  }
  for (const server of [ctx.bare.express, ctx.bare.fastify]) {
    await cannon({
      url: server.url,
      path: '/ok',
      connections: ME_CONNECTIONS,
      duration: warmSeconds(server),
    });
  }
}

/** Stops every process, drops the databases and SQLite files, removes the run's Redis keys. */
export async function tearDown(run: Run): Promise<void> {
  await run.fleet.stopAll();
  await Promise.allSettled([run.smtp.stop(), run.sms.stop(), dropEngineData(run.logDir)]);
  await clearQueues();
}

/** Removes the benchmark's Bull keys from Redis. */
export async function clearQueues(): Promise<void> {
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
