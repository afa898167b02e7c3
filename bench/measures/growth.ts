/**
 * Growth: 100k users and sessions vs 1k, both instances with the session cache off (what can
 * grow with the tables is the database path every cache miss takes).
 */
import { BenchContext } from '../lib/context';
import { cannon } from '../lib/load';
import { ServerProcess } from '../lib/processes';
import { log } from '../lib/report';
import { GROWTH_CONNECTIONS, LARGE_USERS, SMALL_USERS } from '../lib/settings';
import { fmt, median } from '../lib/stats';

type Side = [ServerProcess, number];

async function meP50(ctx: BenchContext, [server, users]: Side): Promise<number> {
  const res = await cannon({
    url: server.url,
    path: '/api/v1/me',
    connections: GROWTH_CONNECTIONS,
    duration: ctx.options.plan.growthSeconds,
    token: ctx.randomSession(users),
  });
  if (res.total !== res.byStatus['200'])
    throw new Error(`GET /me (${server.name}): ${JSON.stringify(res.byStatus)}`);
  return res.p50;
}

async function loginP50(ctx: BenchContext, [server, users]: Side): Promise<number> {
  const times: number[] = [];
  // On the 1k instance users 701.. are kept for the wrong-password timing.
  const pool = server === ctx.smallDb ? 700 : users;
  for (let i = 0; i < ctx.options.plan.growthLogins; i++) {
    const pick = 1 + Math.floor(Math.random() * pool);
    times.push((await ctx.trustedLogin(server, users, pick)).ms);
  }
  return median(times);
}

/**
 * Both instances equally warm (V8 tiers, pool connections, PostgreSQL buffers) before they are
 * compared: the 1k instance has served every other measure.
 */
async function warm(ctx: BenchContext, sides: Side[]): Promise<void> {
  for (const [server, users] of sides) {
    await cannon({
      url: server.url,
      path: '/api/v1/me',
      connections: GROWTH_CONNECTIONS,
      duration: ctx.options.plan.growthSeconds * 2,
      token: ctx.randomSession(users),
    });
  }
}

export async function measureGrowth(ctx: BenchContext): Promise<void> {
  const { smallDb, large } = ctx;
  const meGrowth: number[] = [];
  const loginGrowth: number[] = [];
  const p50s = { meSmall: [] as number[], meLarge: [] as number[] };
  const logins = { small: [] as number[], large: [] as number[] };
  const small: Side = [smallDb, SMALL_USERS];
  const big: Side = [large, LARGE_USERS];
  await warm(ctx, [small, big]);
  const { rounds } = ctx.options.plan;
  for (let r = 0; r < rounds; r++) {
    log(`growth 100k vs 1k, round ${r + 1}/${rounds}`);
    const order = r % 2 === 0 ? [small, big] : [big, small];
    const me: Record<string, number> = {};
    const login: Record<string, number> = {};
    for (const side of order) me[side[0].name] = await meP50(ctx, side);
    for (const side of order) login[side[0].name] = await loginP50(ctx, side);
    p50s.meSmall.push(me[smallDb.name]);
    p50s.meLarge.push(me[large.name]);
    logins.small.push(login[smallDb.name]);
    logins.large.push(login[large.name]);
    meGrowth.push(me[large.name] / me[smallDb.name]);
    loginGrowth.push(login[large.name] / login[smallDb.name]);
  }
  const meG = median(meGrowth);
  const loginG = median(loginGrowth);
  ctx.report.row(
    'Growth: GET /me p50 with 100k users + 100k sessions ÷ with 1k (database path, SESSION_CACHE_SIZE=0 on both)',
    '≤ 1.2',
    fmt(meG),
    meG <= 1.2,
    `p50 ${fmt(median(p50s.meLarge), 1)} vs ${fmt(median(p50s.meSmall), 1)} ms at ${GROWTH_CONNECTIONS} connections; rounds ${meGrowth.map((x) => fmt(x)).join(' ')}`,
  );
  ctx.report.row(
    'Growth: trusted-device login p50 with 100k users ÷ with 1k',
    '≤ 1.2',
    fmt(loginG),
    loginG <= 1.2,
    `p50 ${fmt(median(logins.large), 0)} vs ${fmt(median(logins.small), 0)} ms, one at a time; rounds ${loginGrowth.map((x) => fmt(x)).join(' ')}`,
  );
}
