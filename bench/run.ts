/**
 * Load benchmarks of the account service against the physical limits of this machine.
 * `npm run bench` (full) or `npm run bench -- --quick` (under two minutes). See bench/README.md.
 */
import * as bcrypt from 'bcrypt';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import {
  BENCH_APP_SECRET,
  benchEmail,
  createDatabase,
  databaseUrl,
  deliveryEmail,
  deviceToken,
  dropDatabase,
  seed,
  sessionToken,
} from './lib/database';
import { THREADPOOL_SIZE } from '../src/config/threadpool';
import { cannon, closedLoop, postJson } from './lib/load';
import { freePort, ROOT, ServerProcess, sleep } from './lib/processes';
import { BenchSmsSink, BenchSmtpSink } from './lib/sinks';
import { fmt, median, percentile } from './lib/stats';

const quick = process.argv.includes('--quick');
/** `--only=login,me` runs some of the measures: login, me, timing, growth, delivery, memory. */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (section: string): boolean => !only || only.includes(section);

/** How long and how often each measure runs. Quick mode keeps the whole run under two minutes. */
const PLAN = quick
  ? {
      rounds: 3,
      loginCount: 8,
      meSeconds: 1.5,
      warmSeconds: 4,
      pairs: 3,
      growthSeconds: 1,
      growthLogins: 2,
      deliverySeconds: 5,
      rssRound: 5_000,
    }
  : {
      rounds: 5,
      loginCount: 32,
      meSeconds: 5,
      warmSeconds: 5,
      pairs: 8,
      growthSeconds: 4,
      growthLogins: 8,
      deliverySeconds: 30,
      rssRound: 50_000,
    };

const BCRYPT_ROUNDS = Number(process.env.BENCH_BCRYPT_ROUNDS ?? 12);
/** The cost of the users of the code-delivery measure (see README: 10 logins/s at cost 12 exceed the CPU). */
const DELIVERY_BCRYPT_ROUNDS = 10;
const LOGIN_CONCURRENCY = 8;
const ME_CONNECTIONS = 10;
const GROWTH_CONNECTIONS = 4;
const DELIVERY_RATE = 10;
const SMALL_USERS = 1_000;
const LARGE_USERS = 100_000;
const PASSWORD = `Bench-${randomBytes(9).toString('base64url')}`;
const SALT = randomBytes(6).toString('hex');
const RUN_ID = `${process.pid}`;
/** The service runs with the production image's NODE_OPTIONS (see Dockerfile). */
const SERVICE_NODE_OPTIONS = process.env.BENCH_SERVICE_NODE_OPTIONS ?? '--max-old-space-size=160';

/** The service's threadpool size on this machine (UV_THREADPOOL_SIZE if set, else the cores). */
const THREADPOOL = THREADPOOL_SIZE;
const METRICS_TOKEN = randomBytes(24).toString('base64url');

interface Row {
  measure: string;
  target: string;
  value: string;
  pass: boolean | null;
  detail: string;
}
const rows: Row[] = [];

function row(
  measure: string,
  target: string,
  value: string,
  pass: boolean | null,
  detail: string,
): void {
  rows.push({ measure, target, value, pass, detail });
}

function log(message: string): void {
  const t = ((performance.now() / 1000) | 0).toString().padStart(4);
  process.stderr.write(`[${t}s] ${message}\n`);
}

function appEnv(database: string, queuePrefix: string, smtp: string, sms: string) {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    APP_SECRET: BENCH_APP_SECRET,
    APP_PUBLIC_URL: 'https://app.example.test',
    DATABASE_URL: databaseUrl(database),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: queuePrefix,
    SMTP_URL: smtp,
    SMS_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: sms,
    BCRYPT_ROUNDS: String(BCRYPT_ROUNDS),
    LOG_LEVEL: 'info',
    // All load comes from one client IP: the per-IP limits would stop the benchmark itself.
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOGIN_MAX_FAILURES_PER_IP: '100000000',
    METRICS_TOKEN,
  };
  env.UV_THREADPOOL_SIZE = THREADPOOL;
  return env;
}

/**
 * nodejs_eventloop_lag_p99_seconds from the service's GET /metrics (prom-client resets its
 * histogram at each scrape), in ms; null when the service has no such metric.
 */
async function scrapeLagP99(server: ServerProcess): Promise<number | null> {
  try {
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await res.text();
    const match = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([0-9.e+-]+)/m.exec(text);
    return res.status === 200 && match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/main.js is missing: build first (npm run bench builds it).');
  }
  const logDir = mkdtempSync(join(tmpdir(), 'account-bench-'));
  const started = new Date();
  log(`${quick ? 'quick' : 'full'} run; logs in ${logDir}`);

  const smtp = new BenchSmtpSink();
  const sms = new BenchSmsSink();
  await Promise.all([smtp.start(), sms.start()]);
  const dbSmall = `bench_small_${RUN_ID}`;
  const dbLarge = `bench_large_${RUN_ID}`;
  await Promise.all([createDatabase(dbSmall), createDatabase(dbLarge)]);

  const servers: ServerProcess[] = [];
  const probe = join(ROOT, 'bench', 'probes', 'event-loop-probe.cjs');
  const startApp = async (
    name: string,
    db: string,
    extra: Record<string, string> = {},
  ): Promise<ServerProcess> => {
    const port = await freePort();
    const server = await ServerProcess.start({
      name,
      args: ['--require', probe, 'dist/main.js'],
      env: {
        ...appEnv(db, `bench-${RUN_ID}-${name}`, smtp.url, sms.url),
        PORT: String(port),
        // The image's heap limit (Dockerfile NODE_OPTIONS) unless the bench is told otherwise.
        NODE_OPTIONS: SERVICE_NODE_OPTIONS,
        ...extra,
      },
      logDir,
      port,
      readyPath: '/health/ready',
      ipc: true,
    });
    servers.push(server);
    return server;
  };
  const startBaseline = async (adapter: 'express' | 'fastify'): Promise<ServerProcess> => {
    const port = await freePort();
    const server = await ServerProcess.start({
      name: `baseline-${adapter}`,
      args: [
        '--require',
        probe,
        '-r',
        'ts-node/register/transpile-only',
        'bench/baseline-app.ts',
        adapter,
        `${port}`,
      ],
      env: { NODE_ENV: 'production', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      logDir,
      port,
      readyPath: '/ok',
      ipc: true,
    });
    servers.push(server);
    return server;
  };

  try {
    log('starting the service (1k and 100k users), the bare baselines, hashing passwords');
    // app-1k runs as deployed (session cache on). The growth measure and the database-path
    // reference use instances with SESSION_CACHE_SIZE=0: a cache hit never touches the tables.
    const noCache = { SESSION_CACHE_SIZE: '0' };
    const [small, smallDb, large, bareExpress, bareFastify, hash, deliveryHash] = await Promise.all(
      [
        startApp('app-1k', dbSmall),
        startApp('app-1k-db', dbSmall, noCache),
        startApp('app-100k-db', dbLarge, noCache),
        startBaseline('express'),
        startBaseline('fastify'),
        bcrypt.hash(PASSWORD, BCRYPT_ROUNDS),
        bcrypt.hash(PASSWORD, DELIVERY_BCRYPT_ROUNDS),
      ],
    );
    const deliveryUsers = Math.ceil(DELIVERY_RATE * PLAN.deliverySeconds);
    /** Delivery users whose codes open the service's SMTP connections before the clock runs. */
    const deliveryWarmUsers = 3;
    log('seeding with bulk SQL');
    await Promise.all([
      seed(dbSmall, {
        users: SMALL_USERS,
        hash,
        deliveryUsers: deliveryUsers + deliveryWarmUsers,
        deliveryHash,
        salt: SALT,
      }),
      seed(dbLarge, { users: LARGE_USERS, hash, deliveryUsers: 0, deliveryHash, salt: SALT }),
    ]);

    const randomSession = (users: number) => (): string =>
      sessionToken(SALT, 1 + Math.floor(Math.random() * users));
    // A new well-formed token every time (the length and alphabet of real ones, no valid tag), as
    // an attacker would send: nothing can be remembered about it.
    const randomInvalid = (): string => randomBytes(48).toString('base64url');

    // Users 1..700 log in on their trusted device; 701..1000 are for the wrong-password timing.
    let nextLogin = 0;
    const trustedLogin = async (server: ServerProcess, users: number, pick?: number) => {
      const i = pick ?? 1 + (nextLogin++ % Math.min(users, 700));
      const res = await postJson(`${server.url}/api/v1/auth/login`, {
        email: benchEmail(i),
        password: PASSWORD,
        deviceToken: deviceToken(SALT, i),
      });
      if (res.status !== 200) throw new Error(`trusted login answered ${res.status}`);
      return res;
    };

    // The servers of a compared pair get the same warm-up (V8 optimises the request path; the
    // service's pools connect and its session cache fills). Quick mode gives the full warm-up to
    // the pair of the GET /me target and 1 s to the others (the growth pair is warmed again
    // before its own measure).
    log('warming up');
    const warmSeconds = (server: ServerProcess): number =>
      quick && server !== small && server !== bareExpress ? 1 : PLAN.warmSeconds;
    for (const server of [small, smallDb, large]) {
      await trustedLogin(server, SMALL_USERS);
      await trustedLogin(server, SMALL_USERS);
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
    for (const server of [bareExpress, bareFastify]) {
      await cannon({
        url: server.url,
        path: '/ok',
        connections: ME_CONNECTIONS,
        duration: warmSeconds(server),
      });
    }

    if (wanted('login')) {
      // --- 1. Password login on a trusted device vs raw bcrypt; event-loop delay meanwhile.
      const rawBcrypt = fork(join(ROOT, 'bench', 'bcrypt-raw.ts'), [hash], {
        cwd: ROOT,
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        env: {
          PATH: process.env.PATH ?? '',
          BENCH_PASSWORD: PASSWORD,
          UV_THREADPOOL_SIZE: THREADPOOL,
        },
      });
      await new Promise((resolve) => rawBcrypt.once('message', resolve));
      const loginRatios: number[] = [];
      const loginRates: number[] = [];
      const rawRates: number[] = [];
      const eldP99: number[] = [];
      const metricP99: number[] = [];
      /** An idle Node process on the same machine in the same window: what the machine adds. */
      const controlP99: number[] = [];
      const probeP99: number[] = [];
      for (let r = 0; r < PLAN.rounds; r++) {
        log(`login vs raw bcrypt, round ${r + 1}/${PLAN.rounds}`);
        const raw = (): Promise<number> =>
          new Promise((resolve, reject) => {
            rawBcrypt.once('message', (reply: { perSecond?: number; error?: string }) =>
              reply.perSecond ? resolve(reply.perSecond) : reject(new Error(reply.error)),
            );
            rawBcrypt.send({ count: PLAN.loginCount, concurrency: LOGIN_CONCURRENCY });
          });
        const login = async (): Promise<number> => {
          await small.ask({ probe: 'eld-reset' });
          await bareExpress.ask({ probe: 'eld-reset' });
          await scrapeLagP99(small);
          let probing = true;
          const probeTimes: number[] = [];
          const prober = (async () => {
            while (probing) {
              const t0 = performance.now();
              await fetch(`${small.url}/health/live`).then((res) => res.arrayBuffer());
              probeTimes.push(performance.now() - t0);
              await sleep(200);
            }
          })();
          const seconds = await closedLoop(PLAN.loginCount, LOGIN_CONCURRENCY, async () => {
            await trustedLogin(small, SMALL_USERS);
          });
          probing = false;
          await prober;
          const metric = await scrapeLagP99(small);
          const eld = await small.ask<{ p99: number }>({ probe: 'eld-read' });
          if (metric !== null) metricP99.push(metric);
          eldP99.push(eld.p99);
          controlP99.push((await bareExpress.ask<{ p99: number }>({ probe: 'eld-read' })).p99);
          probeP99.push(percentile(probeTimes, 99));
          return PLAN.loginCount / seconds;
        };
        // Alternate the order so that neither side always runs on a warmer or cooler machine.
        let rawRate: number;
        let loginRate: number;
        if (r % 2 === 0) {
          rawRate = await raw();
          loginRate = await login();
        } else {
          loginRate = await login();
          rawRate = await raw();
        }
        log(`  raw ${fmt(rawRate)}/s, login ${fmt(loginRate)}/s, eld p99 ${fmt(eldP99[r], 1)} ms`);
        rawRates.push(rawRate);
        loginRates.push(loginRate);
        loginRatios.push(loginRate / rawRate);
      }
      rawBcrypt.kill();
      const loginRatio = median(loginRatios);
      row(
        `Trusted-device password login/s ÷ raw bcrypt.compare/s (cost ${BCRYPT_ROUNDS}, ${LOGIN_CONCURRENCY} in flight)`,
        '≥ 0.90',
        fmt(loginRatio),
        loginRatio >= 0.9,
        `login ${fmt(median(loginRates))}/s, raw ${fmt(median(rawRates))}/s; rounds ${loginRatios.map((x) => fmt(x)).join(' ')}`,
      );
      // The service's own metric when it has one; the preloaded probe reads the same kind of
      // histogram (monitorEventLoopDelay, 10 ms resolution) and is reported beside it.
      const fromMetric = metricP99.length === eldP99.length;
      const eld = median(fromMetric ? metricP99 : eldP99);
      row(
        `Event-loop delay p99 in the service while logins saturate the CPU (${fromMetric ? 'GET /metrics nodejs_eventloop_lag_p99_seconds' : 'monitorEventLoopDelay probe'}, 10 ms resolution)`,
        '≤ 20 ms',
        `${fmt(eld, 1)} ms`,
        eld <= 20,
        `rounds ${(fromMetric ? metricP99 : eldP99).map((x) => fmt(x, 1)).join(' ')} ms; preloaded probe ${fmt(median(eldP99), 1)} ms; out-of-band GET /health/live p99 ${fmt(median(probeP99), 1)} ms; an idle Node process (bare baseline) meanwhile: p99 ${fmt(median(controlP99), 1)} ms`,
      );
    }
    if (wanted('me')) {
      // --- 2. GET /me valid and invalid vs bare NestJS routes.
      const meRates: number[] = [];
      const meDbRatios: number[] = [];
      const meDbRates: number[] = [];
      const invalidRates: number[] = [];
      const expressRates: number[] = [];
      const fastifyRates: number[] = [];
      const meRatios: number[] = [];
      const fastifyRatios: number[] = [];
      const invalidRatios: number[] = [];
      for (let r = 0; r < PLAN.rounds; r++) {
        log(`GET /me vs bare routes, round ${r + 1}/${PLAN.rounds}`);
        /** One cell: `path` on `server` for meSeconds; every answer must have `status`. */
        const cell =
          (
            key: string,
            server: ServerProcess,
            path: string,
            status: string,
            token?: () => string,
          ) =>
          async () => {
            const res = await cannon({
              url: server.url,
              path,
              connections: ME_CONNECTIONS,
              duration: PLAN.meSeconds,
              token,
            });
            if (res.total !== res.byStatus[status])
              throw new Error(`${key} (${server.name} ${path}): ${JSON.stringify(res.byStatus)}`);
            return { key, rate: res.perSecond };
          };
        const cells = [
          cell('me', small, '/api/v1/me', '200', randomSession(SMALL_USERS)),
          cell('meDb', smallDb, '/api/v1/me', '200', randomSession(SMALL_USERS)),
          cell('invalid', small, '/api/v1/me', '401', randomInvalid),
          cell('express', bareExpress, '/ok', '200'),
          cell('fastify', bareFastify, '/ok', '200'),
        ];
        const rates: Record<string, number> = {};
        for (let i = 0; i < cells.length; i++) {
          const { key, rate } = await cells[(i + r) % cells.length]();
          rates[key] = rate;
        }
        log(
          `  ${JSON.stringify(Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(v)])))}`,
        );
        meRates.push(rates.me);
        invalidRates.push(rates.invalid);
        expressRates.push(rates.express);
        fastifyRates.push(rates.fastify);
        meRatios.push(rates.me / rates.express);
        meDbRates.push(rates.meDb);
        meDbRatios.push(rates.meDb / rates.express);
        fastifyRatios.push(rates.me / rates.fastify);
        invalidRatios.push(rates.invalid / rates.me);
      }
      const meRatio = median(meRatios);
      row(
        'GET /me (valid session) ÷ bare NestJS {ok:true}, express adapter (the service runs on express)',
        '≥ 0.50',
        fmt(meRatio),
        meRatio >= 0.5,
        `/me ${fmt(median(meRates), 0)} req/s, bare express ${fmt(median(expressRates), 0)} req/s, ${ME_CONNECTIONS} connections; rounds ${meRatios.map((x) => fmt(x)).join(' ')}`,
      );
      row(
        'GET /me (valid session) ÷ bare NestJS {ok:true}, express adapter, database path (SESSION_CACHE_SIZE=0: every check queries PostgreSQL)',
        'reported',
        fmt(median(meDbRatios)),
        null,
        `/me ${fmt(median(meDbRates), 0)} req/s; rounds ${meDbRatios.map((x) => fmt(x)).join(' ')}`,
      );
      row(
        'GET /me (valid session) ÷ bare NestJS {ok:true}, fastify adapter (reference)',
        'reported',
        fmt(median(fastifyRatios)),
        null,
        `bare fastify ${fmt(median(fastifyRates), 0)} req/s; rounds ${fastifyRatios.map((x) => fmt(x)).join(' ')}`,
      );
      const invalidRatio = median(invalidRatios);
      row(
        'GET /me with a forged token (new each request) ÷ GET /me valid (req/s)',
        '≥ 1.0',
        fmt(invalidRatio),
        invalidRatio >= 1.0,
        `invalid ${fmt(median(invalidRates), 0)} req/s; rounds ${invalidRatios.map((x) => fmt(x)).join(' ')}`,
      );
    }
    if (wanted('timing')) {
      // --- 3. Unknown email vs wrong password, one request at a time.
      const timingRatios: number[] = [];
      const unknownMs: number[] = [];
      const wrongMs: number[] = [];
      let wrongUser = 701;
      for (let r = 0; r < PLAN.rounds; r++) {
        log(`unknown email vs wrong password, round ${r + 1}/${PLAN.rounds}`);
        const unknown: number[] = [];
        const wrong: number[] = [];
        for (let i = 0; i < PLAN.pairs; i++) {
          const u = await postJson(`${small.url}/api/v1/auth/login`, {
            email: `nobody-${SALT}-${r}-${i}@example.com`,
            password: PASSWORD,
          });
          const w = await postJson(`${small.url}/api/v1/auth/login`, {
            email: benchEmail(wrongUser++),
            password: `${PASSWORD}-wrong`,
          });
          if (u.status !== 401 || w.status !== 401)
            throw new Error(`invalid credentials answered ${u.status} / ${w.status}`);
          unknown.push(u.ms);
          wrong.push(w.ms);
        }
        unknownMs.push(median(unknown));
        wrongMs.push(median(wrong));
        timingRatios.push(median(unknown) / median(wrong));
      }
      const timingRatio = median(timingRatios);
      row(
        'Unknown-email login median time ÷ known-email wrong-password median time',
        '0.8 – 1.25',
        fmt(timingRatio),
        timingRatio >= 0.8 && timingRatio <= 1.25,
        `unknown ${fmt(median(unknownMs), 0)} ms, wrong password ${fmt(median(wrongMs), 0)} ms; rounds ${timingRatios.map((x) => fmt(x)).join(' ')}`,
      );
    }
    if (wanted('growth')) {
      // --- 4. Growth: 100k users and sessions vs 1k, both instances with the session cache off
      // (what can grow with the tables is the database path every cache miss takes).
      const meGrowth: number[] = [];
      const loginGrowth: number[] = [];
      const p50s = {
        meSmall: [] as number[],
        meLarge: [] as number[],
        inSmall: [] as number[],
        inLarge: [] as number[],
      };
      // Both instances equally warm (V8 tiers, pool connections, PostgreSQL buffers) before
      // they are compared: the 1k instance has served every other measure.
      for (const [server, users] of [
        [smallDb, SMALL_USERS],
        [large, LARGE_USERS],
      ] as const) {
        await cannon({
          url: server.url,
          path: '/api/v1/me',
          connections: GROWTH_CONNECTIONS,
          duration: PLAN.growthSeconds * 2,
          token: randomSession(users),
        });
      }
      for (let r = 0; r < PLAN.rounds; r++) {
        log(`growth 100k vs 1k, round ${r + 1}/${PLAN.rounds}`);
        const meP50 = async (server: ServerProcess, users: number): Promise<number> => {
          const res = await cannon({
            url: server.url,
            path: '/api/v1/me',
            connections: GROWTH_CONNECTIONS,
            duration: PLAN.growthSeconds,
            token: randomSession(users),
          });
          if (res.total !== res.byStatus['200'])
            throw new Error(`GET /me (${server.name}): ${JSON.stringify(res.byStatus)}`);
          return res.p50;
        };
        const loginP50 = async (server: ServerProcess, users: number): Promise<number> => {
          const times: number[] = [];
          // On the 1k instance users 701.. are kept for the wrong-password timing.
          const pool = server === smallDb ? 700 : users;
          for (let i = 0; i < PLAN.growthLogins; i++) {
            const pick = 1 + Math.floor(Math.random() * pool);
            times.push((await trustedLogin(server, users, pick)).ms);
          }
          return median(times);
        };
        const order: [ServerProcess, number][] =
          r % 2 === 0
            ? [
                [smallDb, SMALL_USERS],
                [large, LARGE_USERS],
              ]
            : [
                [large, LARGE_USERS],
                [smallDb, SMALL_USERS],
              ];
        const me: Record<string, number> = {};
        const login: Record<string, number> = {};
        for (const [server, users] of order) me[server.name] = await meP50(server, users);
        for (const [server, users] of order) login[server.name] = await loginP50(server, users);
        p50s.meSmall.push(me[smallDb.name]);
        p50s.meLarge.push(me[large.name]);
        p50s.inSmall.push(login[smallDb.name]);
        p50s.inLarge.push(login[large.name]);
        meGrowth.push(me[large.name] / me[smallDb.name]);
        loginGrowth.push(login[large.name] / login[smallDb.name]);
      }
      const meG = median(meGrowth);
      const loginG = median(loginGrowth);
      row(
        'Growth: GET /me p50 with 100k users + 100k sessions ÷ with 1k (database path, SESSION_CACHE_SIZE=0 on both)',
        '≤ 1.2',
        fmt(meG),
        meG <= 1.2,
        `p50 ${fmt(median(p50s.meLarge), 1)} vs ${fmt(median(p50s.meSmall), 1)} ms at ${GROWTH_CONNECTIONS} connections; rounds ${meGrowth.map((x) => fmt(x)).join(' ')}`,
      );
      row(
        'Growth: trusted-device login p50 with 100k users ÷ with 1k',
        '≤ 1.2',
        fmt(loginG),
        loginG <= 1.2,
        `p50 ${fmt(median(p50s.inLarge), 0)} vs ${fmt(median(p50s.inSmall), 0)} ms, one at a time; rounds ${loginGrowth.map((x) => fmt(x)).join(' ')}`,
      );
    }
    if (wanted('delivery')) {
      // --- 5. Code delivery at 10 logins/s: from the 202 to the SMTP sink's acceptance.
      // The service's SMTP pool opens its connections (the sink, like many mail servers, greets
      // after a pause) with a few codes sent at once, as steady traffic would keep them open.
      await Promise.all(
        Array.from({ length: deliveryWarmUsers }, async (_, k) => {
          const email = deliveryEmail(deliveryUsers + k + 1);
          const res = await postJson(`${small.url}/api/v1/auth/login`, {
            email,
            password: PASSWORD,
          });
          if (res.status !== 202) throw new Error(`warm-up login answered ${res.status}`);
          if ((await smtp.acceptedAfter(email, 0, 15_000)) === null)
            throw new Error('warm-up code not delivered');
        }),
      );
      log(`code delivery at ${DELIVERY_RATE} logins/s for ${PLAN.deliverySeconds} s`);
      const deliveries: Promise<number | null>[] = [];
      const sends: Promise<void>[] = [];
      const t0 = performance.now();
      for (let i = 0; i < deliveryUsers; i++) {
        const due = t0 + (i * 1000) / DELIVERY_RATE;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const email = deliveryEmail(i + 1);
        const sent = postJson(`${small.url}/api/v1/auth/login`, { email, password: PASSWORD });
        deliveries.push(
          sent.then(async (res) => {
            if (res.status !== 202) throw new Error(`login for a code answered ${res.status}`);
            const accepted = await smtp.acceptedAfter(email, 0, 15_000);
            return accepted === null ? null : accepted - res.at;
          }),
        );
        sends.push(sent.then(() => undefined));
      }
      const latencies = await Promise.all(deliveries);
      await Promise.all(sends);
      const delivered = latencies.filter((x): x is number => x !== null);
      const p50 = percentile(delivered, 50);
      const p99 = percentile(delivered, 99);
      const lost = latencies.length - delivered.length;
      const achieved = deliveryUsers / ((performance.now() - t0) / 1000);
      row(
        `Code delivery, 202 of POST /auth/login → accepted by SMTP, ${DELIVERY_RATE} logins/s (users at cost ${DELIVERY_BCRYPT_ROUNDS}), p50`,
        '≤ 30 ms',
        `${fmt(p50, 1)} ms`,
        p50 <= 30 && lost === 0,
        `${delivered.length}/${latencies.length} delivered${lost ? ` (${lost} not within 15 s)` : ''}; max ${fmt(Math.max(...delivered), 1)} ms; overall ${fmt(achieved, 1)} logins/s incl. drain`,
      );
      row(
        'Code delivery p99 (same run)',
        '≤ 150 ms',
        `${fmt(p99, 1)} ms`,
        p99 <= 150 && lost === 0,
        `${delivered.length} codes`,
      );
    }
    if (wanted('memory')) {
      // --- 6. Memory: RSS after a round of requests, and over three further rounds.
      const rss: number[] = [];
      const heaps: Record<string, number>[] = [];
      for (let r = 0; r < 4; r++) {
        log(`memory, round ${r + 1}/4 (${PLAN.rssRound} requests)`);
        const half = PLAN.rssRound / 2;
        await cannon({
          url: small.url,
          path: '/api/v1/me',
          connections: ME_CONNECTIONS,
          amount: half,
          token: randomSession(SMALL_USERS),
        });
        await cannon({
          url: small.url,
          path: '/api/v1/me',
          connections: ME_CONNECTIONS,
          amount: half,
          token: randomInvalid,
        });
        await sleep(500);
        rss.push(small.rssMb());
        heaps.push(await small.ask<Record<string, number>>({ probe: 'memory' }));
      }
      const growth = (rss[3] - rss[0]) / rss[0];
      const k = `${PLAN.rssRound / 1000}k`;
      row(
        `Resident memory after ${k} requests (GET /me, half valid, half invalid)`,
        '≤ 200 MB',
        `${fmt(rss[0], 0)} MB`,
        rss[0] <= 200,
        `after each round: ${rss.map((x) => fmt(x, 0)).join(', ')} MB; V8 heap used/total ${heaps.map((h) => `${h.heapUsed}/${h.heapTotal}`).join(', ')} MB`,
      );
      row(
        `RSS growth over three further rounds of ${k}`,
        '≤ 5 %',
        `${fmt(growth * 100, 1)} %`,
        growth <= 0.05,
        `${fmt(rss[0], 0)} → ${fmt(rss[3], 0)} MB`,
      );
    }

    print(started);
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await Promise.allSettled([
      smtp.stop(),
      sms.stop(),
      dropDatabase(dbSmall),
      dropDatabase(dbLarge),
    ]);
    await clearQueues();
  }
}

/** Removes the benchmark's Bull keys from Redis. */
async function clearQueues(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
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

function print(started: Date): void {
  const cpu = cpus();
  console.log(
    `\nAccount service benchmark (${quick ? 'quick' : 'full'} mode), ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC` +
      `\n${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, BCRYPT_ROUNDS=${BCRYPT_ROUNDS}, ` +
      `UV_THREADPOOL_SIZE=${THREADPOOL}, ` +
      `service NODE_OPTIONS="${SERVICE_NODE_OPTIONS}", ` +
      `PostgreSQL + Redis, NODE_ENV=production, ` +
      `${PLAN.rounds} rounds, medians\n`,
  );
  console.log('| measure | target | result | pass | detail |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const pass = r.pass === null ? '—' : r.pass ? 'yes' : 'NO';
    console.log(`| ${r.measure} | ${r.target} | ${r.value} | ${pass} | ${r.detail} |`);
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
