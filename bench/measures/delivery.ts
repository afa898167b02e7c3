/** Code delivery at 10 logins/s: from the 202 of the login to the SMTP sink's acceptance. */
import { performance } from 'node:perf_hooks';
import { BenchContext } from '../lib/context';
import { deliveryEmail } from '../lib/database';
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

/**
 * The service's SMTP pool opens its connections (the sink, like many mail servers, greets after
 * a pause) with a few codes sent at once, as steady traffic would keep them open.
 */
async function warmPool(ctx: BenchContext): Promise<void> {
  await Promise.all(
    Array.from({ length: DELIVERY_WARM_USERS }, async (_, k) => {
      const email = deliveryEmail(ctx.deliveryUsers + k + 1);
      const res = await postJson(`${ctx.small.url}/api/v1/auth/login`, {
        email,
        password: PASSWORD,
      });
      if (res.status !== 202) throw new Error(`warm-up login answered ${res.status}`);
      if ((await ctx.smtp.acceptedAfter(email, 0, 15_000)) === null)
        throw new Error('warm-up code not delivered');
    }),
  );
}

/** One login for a code per user at DELIVERY_RATE: each code's delay (null: not delivered). */
async function stream(ctx: BenchContext): Promise<{ latencies: (number | null)[]; t0: number }> {
  const deliveries: Promise<number | null>[] = [];
  const sends: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < ctx.deliveryUsers; i++) {
    const due = t0 + (i * 1000) / DELIVERY_RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const email = deliveryEmail(i + 1);
    const sent = postJson(`${ctx.small.url}/api/v1/auth/login`, { email, password: PASSWORD });
    deliveries.push(
      sent.then(async (res) => {
        if (res.status !== 202) throw new Error(`login for a code answered ${res.status}`);
        const accepted = await ctx.smtp.acceptedAfter(email, 0, 15_000);
        return accepted === null ? null : accepted - res.at;
      }),
    );
    sends.push(sent.then(() => undefined));
  }
  const latencies = await Promise.all(deliveries);
  await Promise.all(sends);
  return { latencies, t0 };
}

export async function measureDelivery(ctx: BenchContext): Promise<void> {
  await warmPool(ctx);
  log(`code delivery at ${DELIVERY_RATE} logins/s for ${ctx.options.plan.deliverySeconds} s`);
  const { latencies, t0 } = await stream(ctx);
  const delivered = latencies.filter((x): x is number => x !== null);
  const p50 = percentile(delivered, 50);
  const p99 = percentile(delivered, 99);
  const lost = latencies.length - delivered.length;
  const achieved = ctx.deliveryUsers / ((performance.now() - t0) / 1000);
  ctx.report.row(
    `Code delivery, 202 of POST /auth/login → accepted by SMTP, ${DELIVERY_RATE} logins/s (users at cost ${DELIVERY_BCRYPT_ROUNDS}), p50`,
    '≤ 30 ms',
    `${fmt(p50, 1)} ms`,
    p50 <= 30 && lost === 0,
    `${delivered.length}/${latencies.length} delivered${lost ? ` (${lost} not within 15 s)` : ''}; max ${fmt(Math.max(...delivered), 1)} ms; overall ${fmt(achieved, 1)} logins/s incl. drain`,
  );
  ctx.report.row(
    'Code delivery p99 (same run)',
    '≤ 150 ms',
    `${fmt(p99, 1)} ms`,
    p99 <= 150 && lost === 0,
    `${delivered.length} codes`,
  );
}
