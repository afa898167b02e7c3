/**
 * Password login on a trusted device vs raw bcrypt; the event-loop delay in the service meanwhile.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchContext } from '../lib/context';
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
import { fmt, median, percentile } from '../lib/stats';

interface LoginSeries {
  loginRatios: number[];
  loginRates: number[];
  rawRates: number[];
  eldP99: number[];
  metricP99: number[];
  /** An idle Node process on the same machine in the same window: what the machine adds. */
  controlP99: number[];
  probeP99: number[];
}

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

/** loginCount trusted logins with LOGIN_CONCURRENCY in flight: logins/s; delays meanwhile. */
async function loginRate(ctx: BenchContext, series: LoginSeries): Promise<number> {
  const { small, bareExpress } = ctx;
  const { loginCount } = ctx.options.plan;
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
  const seconds = await closedLoop(loginCount, LOGIN_CONCURRENCY, async () => {
    await ctx.trustedLogin(small, SMALL_USERS);
  });
  probing = false;
  await prober;
  const metric = await scrapeLagP99(small);
  const eld = await small.ask<{ p99: number }>({ probe: 'eld-read' });
  if (metric !== null) series.metricP99.push(metric);
  series.eldP99.push(eld.p99);
  series.controlP99.push((await bareExpress.ask<{ p99: number }>({ probe: 'eld-read' })).p99);
  series.probeP99.push(percentile(probeTimes, 99));
  return loginCount / seconds;
}

function addRows(ctx: BenchContext, series: LoginSeries): void {
  const { loginRatios, loginRates, rawRates, eldP99, metricP99 } = series;
  const loginRatio = median(loginRatios);
  ctx.report.row(
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
  ctx.report.row(
    `Event-loop delay p99 in the service while logins saturate the CPU (${fromMetric ? 'GET /metrics nodejs_eventloop_lag_p99_seconds' : 'monitorEventLoopDelay probe'}, 10 ms resolution)`,
    '≤ 20 ms',
    `${fmt(eld, 1)} ms`,
    eld <= 20,
    `rounds ${(fromMetric ? metricP99 : eldP99).map((x) => fmt(x, 1)).join(' ')} ms; preloaded probe ${fmt(median(eldP99), 1)} ms; out-of-band GET /health/live p99 ${fmt(median(series.probeP99), 1)} ms; an idle Node process (bare baseline) meanwhile: p99 ${fmt(median(series.controlP99), 1)} ms`,
  );
}

export async function measureLogin(ctx: BenchContext): Promise<void> {
  const rawBcrypt = await startRawBcrypt(ctx.hash);
  const series: LoginSeries = {
    loginRatios: [],
    loginRates: [],
    rawRates: [],
    eldP99: [],
    metricP99: [],
    controlP99: [],
    probeP99: [],
  };
  const { rounds } = ctx.options.plan;
  for (let r = 0; r < rounds; r++) {
    log(`login vs raw bcrypt, round ${r + 1}/${rounds}`);
    // Alternate the order so that neither side always runs on a warmer or cooler machine.
    let raw: number;
    let login: number;
    if (r % 2 === 0) {
      raw = await rawRate(ctx, rawBcrypt);
      login = await loginRate(ctx, series);
    } else {
      login = await loginRate(ctx, series);
      raw = await rawRate(ctx, rawBcrypt);
    }
    log(`  raw ${fmt(raw)}/s, login ${fmt(login)}/s, eld p99 ${fmt(series.eldP99[r], 1)} ms`);
    series.rawRates.push(raw);
    series.loginRates.push(login);
    series.loginRatios.push(login / raw);
  }
  rawBcrypt.kill();
  addRows(ctx, series);
}
