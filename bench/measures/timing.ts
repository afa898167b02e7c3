/** Unknown email vs wrong password on each engine, one request at a time. */
import { BenchContext } from '../lib/context';
import { benchEmail } from '../lib/database';
import { Engine } from '../lib/engines';
import { postJson } from '../lib/load';
import { log } from '../lib/report';
import { PASSWORD, SALT } from '../lib/settings';
import { fmt, median, roundList, Samples } from '../lib/stats';

/**
 * `pairs` alternating logins on the engine's app: an unknown email, a known one with a wrong
 * password (each time another user, so that the per-email throttle never answers instead).
 */
async function pairs(
  ctx: BenchContext,
  engine: Engine,
  r: number,
  nextWrongUser: () => number,
): Promise<{ unknown: number; wrong: number }> {
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < ctx.options.plan.pairs; i++) {
    const u = await postJson(`${engine.app.url}/api/v1/auth/login`, {
      email: `nobody-${SALT}-${r}-${i}@example.com`,
      password: PASSWORD,
    });
    const w = await postJson(`${engine.app.url}/api/v1/auth/login`, {
      email: benchEmail(nextWrongUser()),
      password: `${PASSWORD}-wrong`,
    });
    if (u.status !== 401 || w.status !== 401)
      throw new Error(`invalid credentials answered ${u.status} / ${w.status}`);
    unknown.push(u.ms);
    wrong.push(w.ms);
  }
  return { unknown: median(unknown), wrong: median(wrong) };
}

export async function measureTiming(ctx: BenchContext): Promise<void> {
  const s = new Samples();
  const { rounds } = ctx.options.plan;
  // Users 701.. of each engine's 1k database; the trusted logins use 1..700.
  const wrongUser = new Map(ctx.engines.map((e) => [e.id, 701]));
  for (let r = 0; r < rounds; r++) {
    log(`unknown email vs wrong password, round ${r + 1}/${rounds}`);
    // The engines take turns going first.
    const order = r % 2 === 0 ? ctx.engines : [...ctx.engines].reverse();
    for (const engine of order) {
      const next = (): number => {
        const user = wrongUser.get(engine.id)!;
        wrongUser.set(engine.id, user + 1);
        return user;
      };
      const { unknown, wrong } = await pairs(ctx, engine, r, next);
      s.push(`${engine.id}.unknown`, unknown);
      s.push(`${engine.id}.wrong`, wrong);
    }
  }
  for (const engine of ctx.engines) {
    const k = (name: string): string => `${engine.id}.${name}`;
    const ratios = s.ratios(k('unknown'), k('wrong'));
    ctx.report.add({
      measure: 'Unknown-email login median time ÷ known-email wrong-password median time',
      ...{ engine: engine.label, target: '0.8 – 1.25', rounds: ratios },
      pass: (x) => x >= 0.8 && x <= 1.25,
      detail: `unknown ${fmt(median(s.get(k('unknown'))), 0)} ms, wrong password ${fmt(median(s.get(k('wrong'))), 0)} ms; ${roundList(ratios)}`,
    });
  }
  ctx.report.compare('Wrong-password login median time', {
    postgres: s.get('postgres.wrong'),
    sqlite: s.get('sqlite.wrong'),
  });
}
