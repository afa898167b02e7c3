/**
 * Growth: 100k users and sessions vs 1k on each engine, on the database path (SESSION_CACHE_SIZE=0
 * on both): what can grow with the tables is the path every cache miss takes.
 */
import { BenchContext } from '../lib/context';
import { Engine } from '../lib/engines';
import { cannon, REQUESTS_PER_CONNECTION } from '../lib/load';
import { ServerProcess } from '../lib/processes';
import { log } from '../lib/report';
import { GROWTH_CONNECTIONS, LARGE_USERS, SMALL_USERS } from '../lib/settings';
import { fmt, median, roundList, Samples } from '../lib/stats';

interface Side {
  server: ServerProcess;
  users: number;
  /** `small` or `large`. */
  size: string;
}

/**
 * Each connection's requests (built before the clock) are numerous enough for the connections
 * together to draw on every user of the side: a cell sends different sessions, as random picks
 * among all 1k or 100k would, rather than a few thousand again and again.
 */
const requestsPerConnection = (users: number): number =>
  Math.max(REQUESTS_PER_CONNECTION, Math.ceil(users / GROWTH_CONNECTIONS));

async function meP50(ctx: BenchContext, { server, users }: Side): Promise<number> {
  const res = await cannon({
    url: server.url,
    path: '/api/v1/me',
    connections: GROWTH_CONNECTIONS,
    duration: ctx.options.plan.growthSeconds,
    token: ctx.randomSession(users),
    requestsPerConnection: requestsPerConnection(users),
  });
  if (res.total !== res.byStatus['200'])
    throw new Error(`GET /me (${server.name}): ${JSON.stringify(res.byStatus)}`);
  return res.p50;
}

async function loginP50(ctx: BenchContext, { server, users, size }: Side): Promise<number> {
  const times: number[] = [];
  // On the 1k database users 701.. are kept for the wrong-password timing.
  const pool = size === 'small' ? 700 : users;
  for (let i = 0; i < ctx.options.plan.growthLogins; i++) {
    const pick = 1 + Math.floor(Math.random() * pool);
    times.push((await ctx.trustedLogin(server, users, pick)).ms);
  }
  return median(times);
}

function sides(engine: Engine): Side[] {
  if (!engine.large) throw new Error(`growth: no 100k instance on ${engine.label}`);
  return [
    { server: engine.growthSmall, users: SMALL_USERS, size: 'small' },
    { server: engine.large, users: LARGE_USERS, size: 'large' },
  ];
}

/**
 * Both instances equally warm (V8 tiers, pool connections, database buffers) before they are
 * compared: the 1k instance has served every other measure.
 */
async function warm(ctx: BenchContext): Promise<void> {
  for (const { server, users } of ctx.engines.flatMap(sides)) {
    await cannon({
      url: server.url,
      path: '/api/v1/me',
      connections: GROWTH_CONNECTIONS,
      duration: ctx.options.plan.growthSeconds * 2,
      token: ctx.randomSession(users),
      requestsPerConnection: requestsPerConnection(users),
    });
  }
}

function addRows(ctx: BenchContext, engine: Engine, s: Samples): void {
  const k = (name: string): string => `${engine.id}.${name}`;
  const path = 'SESSION_CACHE_SIZE=0 on both';
  const me = s.ratios(k('me.large'), k('me.small'));
  ctx.report.add({
    measure: `Growth: GET /me p50 with 100k users + 100k sessions ÷ with 1k (database path, ${path})`,
    ...{ engine: engine.label, target: '≤ 1.2', rounds: me, pass: (x) => x <= 1.2 },
    detail: `p50 ${fmt(median(s.get(k('me.large'))), 1)} vs ${fmt(median(s.get(k('me.small'))), 1)} ms at ${GROWTH_CONNECTIONS} connections; ${roundList(me)}`,
  });
  const login = s.ratios(k('login.large'), k('login.small'));
  ctx.report.add({
    measure: 'Growth: trusted-device login p50 with 100k users ÷ with 1k',
    ...{ engine: engine.label, target: '≤ 1.2', rounds: login, pass: (x) => x <= 1.2 },
    detail: `p50 ${fmt(median(s.get(k('login.large'))), 0)} vs ${fmt(median(s.get(k('login.small'))), 0)} ms, one at a time; ${roundList(login)}`,
  });
}

export async function measureGrowth(ctx: BenchContext): Promise<void> {
  const s = new Samples();
  await warm(ctx);
  const { rounds } = ctx.options.plan;
  for (let r = 0; r < rounds; r++) {
    log(`growth 100k vs 1k, round ${r + 1}/${rounds}`);
    for (const engine of ctx.engines) {
      // The 1k and the 100k instance take turns going first.
      const order = r % 2 === 0 ? sides(engine) : sides(engine).reverse();
      for (const side of order) s.push(`${engine.id}.me.${side.size}`, await meP50(ctx, side));
      for (const side of order)
        s.push(`${engine.id}.login.${side.size}`, await loginP50(ctx, side));
    }
  }
  for (const engine of ctx.engines) addRows(ctx, engine, s);
  ctx.report.compare(
    'Growth: GET /me p50 with 100k users, database path',
    { postgres: s.get('postgres.me.large'), sqlite: s.get('sqlite.me.large') },
    'PostgreSQL with SESSION_CACHE_SIZE=0; lower is faster',
  );
}
