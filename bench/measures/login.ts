/**
 * Password login on a trusted device vs raw bcrypt, on each engine; the event-loop delay in the
 * service meanwhile.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchContext } from '../lib/context';
import { Engine } from '../lib/engines';
import { closedLoop } from '../lib/load';
import { ROOT, sleep } from '../lib/processes';
import { log } from '../lib/report';
import { scrapeLagP99 } from '../lib/service';
import {
  BCRYPT_ROUNDS,
  LOGIN_CONCURRENCY,
  PASSWORD,
  SMALL_USERS,
  THREADPOOL,
} from '../lib/settings';
import { fmt, median, percentile, roundList, Samples } from '../lib/stats';

/** bench/bcrypt-raw.ts in its own process, ready for its first message. */
async function startRawBcrypt(hash: string): Promise<ChildProcess> {
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
  return rawBcrypt;
}

/** loginCount compares with LOGIN_CONCURRENCY in flight in the raw process: compares/s. */
function rawRate(ctx: BenchContext, rawBcrypt: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    rawBcrypt.once('message', (reply: { perSecond?: number; error?: string }) =>
      reply.perSecond ? resolve(reply.perSecond) : reject(new Error(reply.error)),
    );
    rawBcrypt.send({ count: ctx.options.plan.loginCount, concurrency: LOGIN_CONCURRENCY });
  });
}

/** An out-of-band GET /health/live every 200 ms until stopped: the response times. */
function healthProber(url: string): { stop: () => Promise<number[]> } {
  let probing = true;
  const times: number[] = [];
  const prober = (async () => {
    while (probing) {
      const t0 = performance.now();
      await fetch(`${url}/health/live`).then((res) => res.arrayBuffer());
      times.push(performance.now() - t0);
      await sleep(200);
    }
  })();
  return {
    stop: async () => {
      probing = false;
      await prober;
      return times;
    },
  };
}

/**
 * loginCount trusted logins on the engine's app with LOGIN_CONCURRENCY in flight: logins/s.
 * Meanwhile the event-loop delay: the service's metric, the preloaded probe, an out-of-band
 * probe, and an idle Node process (the bare express baseline: what the machine adds).
 */
async function loginRate(ctx: BenchContext, engine: Engine, s: Samples): Promise<number> {
  const { app } = engine;
  const idle = ctx.bare.express;
  const { loginCount } = ctx.options.plan;
  await app.ask({ probe: 'eld-reset' });
  await idle.ask({ probe: 'eld-reset' });
  await scrapeLagP99(app);
  const prober = healthProber(app.url);
  const seconds = await closedLoop(loginCount, LOGIN_CONCURRENCY, async () => {
    await ctx.trustedLogin(app, SMALL_USERS);
  });
  const probeTimes = await prober.stop();
  const metric = await scrapeLagP99(app);
  const eld = await app.ask<{ p99: number }>({ probe: 'eld-read' });
  if (metric !== null) s.push(`${engine.id}.metric`, metric);
  s.push(`${engine.id}.eld`, eld.p99);
  s.push(`${engine.id}.control`, (await idle.ask<{ p99: number }>({ probe: 'eld-read' })).p99);
  s.push(`${engine.id}.probe`, percentile(probeTimes, 99));
  return loginCount / seconds;
}

function addRows(ctx: BenchContext, engine: Engine, s: Samples): void {
  const k = (name: string): string => `${engine.id}.${name}`;
  const loginRatios = s.ratios(k('login'), 'raw');
  ctx.report.add({
    measure: `Trusted-device password login/s ÷ raw bcrypt.compare/s (cost ${BCRYPT_ROUNDS}, ${LOGIN_CONCURRENCY} in flight)`,
    engine: engine.label,
    target: '≥ 0.90',
    rounds: loginRatios,
    pass: (x) => x >= 0.9,
    detail: `login ${fmt(median(s.get(k('login'))))}/s, raw ${fmt(median(s.get('raw')))}/s; ${roundList(loginRatios)}`,
  });
  // The service's own metric when it has one; the preloaded probe reads the same kind of
  // histogram (monitorEventLoopDelay, 10 ms resolution) and is reported beside it.
  const eldP99 = s.get(k('eld'));
  const fromMetric = s.get(k('metric')).length === eldP99.length;
  const rounds = fromMetric ? s.get(k('metric')) : eldP99;
  ctx.report.add({
    measure: `Event-loop delay p99 in the service while logins saturate the CPU (${fromMetric ? 'GET /metrics nodejs_eventloop_lag_p99_seconds' : 'monitorEventLoopDelay probe'}, 10 ms resolution)`,
    engine: engine.label,
    target: '≤ 20 ms',
    rounds,
    pass: (x) => x <= 20,
    digits: 1,
    unit: ' ms',
    detail: `${roundList(rounds, 1, ' ms')}; preloaded probe ${fmt(median(eldP99), 1)} ms; out-of-band GET /health/live p99 ${fmt(median(s.get(k('probe'))), 1)} ms; an idle Node process (bare baseline) meanwhile: p99 ${fmt(median(s.get(k('control'))), 1)} ms`,
  });
}

export async function measureLogin(ctx: BenchContext): Promise<void> {
  const rawBcrypt = await startRawBcrypt(ctx.hash);
  const s = new Samples();
  const { rounds } = ctx.options.plan;
  const sides = [
    { key: 'raw', rate: () => rawRate(ctx, rawBcrypt) },
    ...ctx.engines.map((e) => ({ key: `${e.id}.login`, rate: () => loginRate(ctx, e, s) })),
  ];
  for (let r = 0; r < rounds; r++) {
    log(`login vs raw bcrypt, round ${r + 1}/${rounds}`);
    // A rotating order, so that no side always runs on a warmer or cooler machine.
    for (let i = 0; i < sides.length; i++) {
      const side = sides[(i + r) % sides.length];
      s.push(side.key, await side.rate());
    }
    const rates = sides.map((side) => `${side.key} ${fmt(s.get(side.key)[r])}/s`).join(', ');
    log(
      `  ${rates}; eld p99 ${ctx.engines.map((e) => fmt(s.get(`${e.id}.eld`)[r], 1)).join(', ')} ms`,
    );
  }
  rawBcrypt.kill();
  for (const engine of ctx.engines) addRows(ctx, engine, s);
  ctx.report.compare('Trusted-device password login/s', {
    postgres: s.get('postgres.login'),
    sqlite: s.get('sqlite.login'),
  });
}
