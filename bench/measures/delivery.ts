/**
 * Code delivery at 10 logins/s on each engine: from the 202 of the login to the SMTP sink's
 * acceptance; then the first code after a quiet spell.
 */
import { performance } from 'node:perf_hooks';
import { BenchContext } from '../lib/context';
import { deliveryEmail } from '../lib/database';
import { Engine } from '../lib/engines';
import { postJson } from '../lib/load';
import { sleep } from '../lib/processes';
import { log } from '../lib/report';
import {
  DELIVERY_BCRYPT_ROUNDS,
  DELIVERY_RATE,
  DELIVERY_WARM_USERS,
  PASSWORD,
} from '../lib/settings';
import { fmt, percentile } from '../lib/stats';

const WAIT_MS = 15_000;

interface Stream {
  /** Each code's delay in ms, in the order of the logins; null: not delivered within WAIT_MS. */
  latencies: (number | null)[];
  /** Logins/s over the stream, the drain of the last codes included. */
  achieved: number;
  /** When its last code was accepted (or given up): the quiet spell starts there. */
  end: number;
}

/** A login of delivery user `user` on the engine: the delay from its 202 to the SMTP sink. */
async function deliverCode(ctx: BenchContext, engine: Engine, user: number) {
  const email = deliveryEmail(user);
  const since = performance.now();
  const res = await postJson(`${engine.app.url}/api/v1/auth/login`, { email, password: PASSWORD });
  if (res.status !== 202) throw new Error(`login for a code answered ${res.status}`);
  // The engines share the sink and the addresses: only a message accepted after this login counts.
  const accepted = await ctx.smtp.acceptedAfter(email, since, WAIT_MS);
  return accepted === null ? null : accepted - res.at;
}

/**
 * The service's SMTP pool opens its connections (the sink, like many mail servers, greets after
 * a pause) with a few codes sent at once, as steady traffic would keep them open.
 */
async function warmPool(ctx: BenchContext, engine: Engine): Promise<void> {
  const users = Array.from({ length: DELIVERY_WARM_USERS }, (_, k) => ctx.deliveryUsers + k + 1);
  const delays = await Promise.all(users.map((user) => deliverCode(ctx, engine, user)));
  if (delays.includes(null)) throw new Error('warm-up code not delivered');
}

/** One login for a code per user at DELIVERY_RATE. */
async function stream(ctx: BenchContext, engine: Engine): Promise<Stream> {
  const deliveries: Promise<number | null>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < ctx.deliveryUsers; i++) {
    const wait = t0 + (i * 1000) / DELIVERY_RATE - performance.now();
    if (wait > 0) await sleep(wait);
    deliveries.push(deliverCode(ctx, engine, i + 1));
  }
  const latencies = await Promise.all(deliveries);
  const end = performance.now();
  return { latencies, achieved: ctx.deliveryUsers / ((end - t0) / 1000), end };
}

/** The stream cut into `parts` consecutive pieces: their p50s or p99s (the spread). */
function byPart(latencies: (number | null)[], parts: number, p: number): number[] {
  const size = Math.ceil(latencies.length / parts);
  return Array.from({ length: parts }, (_, k) =>
    latencies.slice(k * size, (k + 1) * size).filter((x): x is number => x !== null),
  )
    .filter((part) => part.length > 0)
    .map((part) => percentile(part, p));
}

function addRows(ctx: BenchContext, engine: Engine, run: Stream, quiet: number | null): void {
  const { quick, plan } = ctx.options;
  const all = [...run.latencies, quiet];
  const delivered = all.filter((x): x is number => x !== null);
  const lost = all.length - delivered.length;
  const quietText = `${plan.quietSeconds} s of quiet${quick ? ' (quick mode; the full run waits 60 s, the SMTP sink drops connections idle for 60 s)' : ''}`;
  const base = { engine: engine.label, digits: 1, unit: ' ms' };
  ctx.report.add({
    measure: `Code delivery, 202 of POST /auth/login → accepted by SMTP, ${DELIVERY_RATE} logins/s (users at cost ${DELIVERY_BCRYPT_ROUNDS}) and the first code after ${plan.quietSeconds} s of quiet, p50`,
    ...{ ...base, target: '≤ 10 ms', value: percentile(delivered, 50) },
    rounds: byPart(run.latencies, plan.rounds, 50),
    pass: (x) => x <= 10 && lost === 0,
    detail: `${delivered.length}/${all.length} delivered${lost ? ` (${lost} not within ${WAIT_MS / 1000} s)` : ''}; max ${fmt(Math.max(...delivered), 1)} ms; overall ${fmt(run.achieved, 1)} logins/s incl. drain; spread: the stream in ${plan.rounds} parts`,
  });
  ctx.report.add({
    measure: 'Code delivery p99 (same codes)',
    ...{ ...base, target: '≤ 50 ms', value: percentile(delivered, 99) },
    rounds: byPart(run.latencies, plan.rounds, 99),
    pass: (x) => x <= 50 && lost === 0,
    detail: `${delivered.length} codes`,
  });
  ctx.report.add({
    measure: `Code delivery, the first code after ${quietText}`,
    ...{ ...base, target: '≤ 50 ms', value: quiet ?? NaN, rounds: quiet === null ? [] : [quiet] },
    pass: (x) => x <= 50,
    detail: quiet === null ? `not delivered within ${WAIT_MS / 1000} s` : 'one code',
  });
}

export async function measureDelivery(ctx: BenchContext): Promise<void> {
  const { plan } = ctx.options;
  const streams = new Map<Engine, Stream>();
  for (const engine of ctx.engines) {
    await warmPool(ctx, engine);
    log(
      `code delivery at ${DELIVERY_RATE} logins/s for ${plan.deliverySeconds} s, ${engine.label}`,
    );
    streams.set(engine, await stream(ctx, engine));
  }
  const quiet = new Map<Engine, number | null>();
  for (const engine of ctx.engines) {
    // Nothing reaches this instance in the meantime (the other engine's stream may run).
    const wait = streams.get(engine)!.end + plan.quietSeconds * 1000 - performance.now();
    log(`code delivery after ${plan.quietSeconds} s of quiet, ${engine.label}`);
    if (wait > 0) await sleep(wait);
    quiet.set(engine, await deliverCode(ctx, engine, ctx.deliveryUsers + DELIVERY_WARM_USERS + 1));
  }
  for (const engine of ctx.engines) addRows(ctx, engine, streams.get(engine)!, quiet.get(engine)!);
  const p50s = (id: string): number[] => {
    const engine = ctx.engines.find((e) => e.id === id);
    return engine ? byPart(streams.get(engine)!.latencies, plan.rounds, 50) : [];
  };
  ctx.report.compare(
    'Code delivery p50 (the stream)',
    {
      postgres: p50s('postgres'),
      sqlite: p50s('sqlite'),
    },
    'lower is faster',
  );
}
