/** GET /me valid and with forged tokens on each engine vs the bare NestJS routes. */
import { BenchContext } from '../lib/context';
import { Engine } from '../lib/engines';
import { cannon, REQUESTS_PER_CONNECTION } from '../lib/load';
import { ServerProcess } from '../lib/processes';
import { log } from '../lib/report';
import { ME_CONNECTIONS, SERVICE_ADAPTER, SMALL_USERS } from '../lib/settings';
import { fmt, median, roundList, Samples } from '../lib/stats';

type Cell = () => Promise<{ key: string; rate: number; cpu?: number }>;

/**
 * One cell: `path` on `server` for meSeconds; every answer must have `status`. Besides the rate,
 * the server process's CPU time (user + system, all its threads) per answer, in µs, where /proc
 * tells it.
 *
 * Before the clock, the same requests for cellWarmSeconds, untimed: the cells of one server are
 * a round apart (about 40 s), longer than SESSION_CACHE_TTL_MS (30 s), so without it every cell
 * would open with the database look-ups of all 1,000 sessions, each one's first check after its
 * entry expired (on PostgreSQL about a second of the service's CPU; see README, "Measures").
 * The cell then measures checks of sessions seen within the TTL, as a steady load has them; the
 * database path has its own cells.
 */
const cell =
  (
    ctx: BenchContext,
    key: string,
    server: ServerProcess,
    path: string,
    status: string,
    token?: () => string,
  ): Cell =>
  async () => {
    const load = { url: server.url, path, connections: ME_CONNECTIONS, token };
    await cannon({ ...load, duration: ctx.options.plan.cellWarmSeconds });
    const cpuBefore = server.cpuMicros();
    const res = await cannon({ ...load, duration: ctx.options.plan.meSeconds });
    if (res.total !== res.byStatus[status])
      throw new Error(`${key} (${server.name} ${path}): ${JSON.stringify(res.byStatus)}`);
    const cpuAfter = server.cpuMicros();
    const cpu =
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : (cpuAfter - cpuBefore) / res.total;
    return { key, rate: res.perSecond, cpu };
  };

/**
 * The cells of every round, in groups: valid and forged on each engine (side by side, so that
 * their ratio compares cells a few seconds apart), the database path, bare routes. The bare
 * routes get the same requests as GET /me with a valid session (they ignore the Authorization
 * header): the servers compared read the same bytes.
 */
function groups(ctx: BenchContext): Cell[][] {
  const me = '/api/v1/me';
  const valid = ctx.randomSession(SMALL_USERS);
  const list = ctx.engines.flatMap((e) => [
    [
      cell(ctx, `${e.id}.me`, e.app, me, '200', valid),
      cell(ctx, `${e.id}.invalid`, e.app, me, '401', ctx.randomInvalid),
    ],
    [cell(ctx, `${e.id}.meDb`, e.appDb, me, '200', valid)],
  ]);
  return [
    ...list,
    [cell(ctx, 'express', ctx.bare.express, '/ok', '200', valid)],
    [cell(ctx, 'fastify', ctx.bare.fastify, '/ok', '200', valid)],
  ];
}

/** The rows of one engine; ratios are taken round by round. */
function addRows(ctx: BenchContext, engine: Engine, s: Samples): void {
  const forgedPerCell = (REQUESTS_PER_CONNECTION * ME_CONNECTIONS).toLocaleString('en');
  const k = (name: string): string => `${engine.id}.${name}`;
  const add = ctx.report.add.bind(ctx.report);
  const bareRate = (key: string): string => `${fmt(median(s.get(key)), 0)} req/s`;
  const micros = (key: string): string => `${fmt(median(s.get(`${key}.cpu`)), 1)} µs`;
  const service = s.ratios(k('me'), SERVICE_ADAPTER);
  add({
    measure: `GET /me (valid session) ÷ bare NestJS {ok:true}, ${SERVICE_ADAPTER} adapter (the service's adapter, BENCH_SERVICE_ADAPTER)`,
    ...{ engine: engine.label, target: '≥ 0.50', rounds: service, pass: (x) => x >= 0.5 },
    detail: `/me ${bareRate(k('me'))}, bare ${SERVICE_ADAPTER} ${bareRate(SERVICE_ADAPTER)}, ${ME_CONNECTIONS} connections; ${roundList(service)}`,
  });
  const fastify = s.ratios(k('me'), 'fastify');
  add({
    measure: 'GET /me (valid session) ÷ bare NestJS {ok:true}, fastify adapter',
    ...{ engine: engine.label, target: '≥ 0.30', rounds: fastify, pass: (x) => x >= 0.3 },
    detail: `bare fastify ${bareRate('fastify')}; ${roundList(fastify)}`,
  });
  const cpu = s.ratios(`${SERVICE_ADAPTER}.cpu`, `${k('me')}.cpu`);
  if (cpu.length === s.get(k('me')).length) {
    add({
      measure: `Service CPU time per answer: bare NestJS {ok:true} (${SERVICE_ADAPTER}) ÷ GET /me (valid session), i.e. GET /me answers per CPU-second ÷ the bare route's`,
      ...{ engine: engine.label, target: 'reported', rounds: cpu },
      detail: `user + system time of the server process per answer (/proc): /me ${micros(k('me'))}, bare ${micros(SERVICE_ADAPTER)}; ${roundList(cpu)}`,
    });
  }
  const db = s.ratios(k('meDb'), SERVICE_ADAPTER);
  add({
    measure: `GET /me (valid session) ÷ bare NestJS {ok:true}, ${SERVICE_ADAPTER} adapter, database path (SESSION_CACHE_SIZE=0: every check queries ${engine.label})`,
    ...{ engine: engine.label, target: 'reported', rounds: db },
    detail: `/me ${bareRate(k('meDb'))}; ${roundList(db)}`,
  });
  const forged = s.ratios(k('invalid'), k('me'));
  add({
    measure: `GET /me with a forged token (${forgedPerCell} different ones per cell, each well-formed, none issued) ÷ GET /me valid (req/s)`,
    ...{ engine: engine.label, target: '≥ 1.0', rounds: forged, pass: (x) => x >= 1.0 },
    detail: `invalid ${bareRate(k('invalid'))}; ${roundList(forged)}`,
  });
  const forgedCpu = s.ratios(`${k('me')}.cpu`, `${k('invalid')}.cpu`);
  if (forgedCpu.length === s.get(k('invalid')).length) {
    add({
      measure: `Service CPU time per answer: GET /me valid ÷ GET /me with a forged token, i.e. forged answers per CPU-second ÷ valid ones`,
      ...{ engine: engine.label, target: 'reported', rounds: forgedCpu },
      detail: `user + system time of the server process per answer (/proc): forged ${micros(k('invalid'))}, valid ${micros(k('me'))}; ${roundList(forgedCpu)}`,
    });
  }
}

function compareRows(ctx: BenchContext, s: Samples): void {
  const { report } = ctx;
  const both = (pg: string, sqlite: string) => ({
    postgres: s.get(`postgres.${pg}`),
    sqlite: s.get(`sqlite.${sqlite}`),
  });
  report.compare(
    'GET /me (valid session) req/s, each as deployed',
    both('me', 'me'),
    'each with its session cache',
  );
  report.compare(
    'GET /me (valid session) req/s, database path',
    both('meDb', 'meDb'),
    'SESSION_CACHE_SIZE=0 on both',
  );
  report.compare('GET /me with a forged token req/s', both('invalid', 'invalid'));
}

export async function measureMe(ctx: BenchContext): Promise<void> {
  const s = new Samples();
  const list = groups(ctx);
  const { rounds } = ctx.options.plan;
  for (let r = 0; r < rounds; r++) {
    log(`GET /me vs bare routes, round ${r + 1}/${rounds}`);
    // A rotating order of the groups, so that no cell always runs on a warmer or cooler
    // machine; within a group, every other round the other way round.
    const order = list.flatMap((_, i) => {
      const group = list[(i + r) % list.length];
      return r % 2 === 0 ? group : [...group].reverse();
    });
    const rates: Record<string, number> = {};
    for (const run of order) {
      const { key, rate, cpu } = await run();
      rates[key] = rate;
      s.push(key, rate);
      if (cpu !== undefined) s.push(`${key}.cpu`, cpu);
    }
    log(
      `  ${JSON.stringify(Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(v)])))}`,
    );
  }
  for (const engine of ctx.engines) addRows(ctx, engine, s);
  compareRows(ctx, s);
}
