/** Unknown email vs wrong password, one request at a time. */
import { BenchContext } from '../lib/context';
import { benchEmail } from '../lib/database';
import { postJson } from '../lib/load';
import { log } from '../lib/report';
import { PASSWORD, SALT } from '../lib/settings';
import { fmt, median } from '../lib/stats';

export async function measureTiming(ctx: BenchContext): Promise<void> {
  const { small } = ctx;
  const { rounds, pairs } = ctx.options.plan;
  const timingRatios: number[] = [];
  const unknownMs: number[] = [];
  const wrongMs: number[] = [];
  let wrongUser = 701;
  for (let r = 0; r < rounds; r++) {
    log(`unknown email vs wrong password, round ${r + 1}/${rounds}`);
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < pairs; i++) {
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
  ctx.report.row(
    'Unknown-email login median time ÷ known-email wrong-password median time',
    '0.8 – 1.25',
    fmt(timingRatio),
    timingRatio >= 0.8 && timingRatio <= 1.25,
    `unknown ${fmt(median(unknownMs), 0)} ms, wrong password ${fmt(median(wrongMs), 0)} ms; rounds ${timingRatios.map((x) => fmt(x)).join(' ')}`,
  );
}
