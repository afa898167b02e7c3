/** GET /me valid and with forged tokens vs the bare NestJS routes. */
import { BenchContext } from '../lib/context';
import { cannon } from '../lib/load';
import { ServerProcess } from '../lib/processes';
import { log } from '../lib/report';
import { ME_CONNECTIONS, SMALL_USERS } from '../lib/settings';
import { fmt, median } from '../lib/stats';

type Series = Record<
  | 'meRates'
  | 'meDbRatios'
  | 'meDbRates'
  | 'invalidRates'
  | 'expressRates'
  | 'fastifyRates'
  | 'meRatios'
  | 'fastifyRatios'
  | 'invalidRatios',
  number[]
>;

/** One cell: `path` on `server` for meSeconds; every answer must have `status`. */
const cell =
  (
    ctx: BenchContext,
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
      duration: ctx.options.plan.meSeconds,
      token,
    });
    if (res.total !== res.byStatus[status])
      throw new Error(`${key} (${server.name} ${path}): ${JSON.stringify(res.byStatus)}`);
    return { key, rate: res.perSecond };
  };

/** The five cells of round r, in a rotating order: req/s by cell. */
async function round(ctx: BenchContext, r: number): Promise<Record<string, number>> {
  const cells = [
    cell(ctx, 'me', ctx.small, '/api/v1/me', '200', ctx.randomSession(SMALL_USERS)),
    cell(ctx, 'meDb', ctx.smallDb, '/api/v1/me', '200', ctx.randomSession(SMALL_USERS)),
    cell(ctx, 'invalid', ctx.small, '/api/v1/me', '401', ctx.randomInvalid),
    cell(ctx, 'express', ctx.bareExpress, '/ok', '200'),
    cell(ctx, 'fastify', ctx.bareFastify, '/ok', '200'),
  ];
  const rates: Record<string, number> = {};
  for (let i = 0; i < cells.length; i++) {
    const { key, rate } = await cells[(i + r) % cells.length]();
    rates[key] = rate;
  }
  log(
    `  ${JSON.stringify(Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(v)])))}`,
  );
  return rates;
}

function addRows(ctx: BenchContext, s: Series): void {
  const meRatio = median(s.meRatios);
  const rounds = (values: number[]): string => values.map((x) => fmt(x)).join(' ');
  ctx.report.row(
    'GET /me (valid session) ÷ bare NestJS {ok:true}, express adapter (the service runs on express)',
    '≥ 0.50',
    fmt(meRatio),
    meRatio >= 0.5,
    `/me ${fmt(median(s.meRates), 0)} req/s, bare express ${fmt(median(s.expressRates), 0)} req/s, ${ME_CONNECTIONS} connections; rounds ${rounds(s.meRatios)}`,
  );
  ctx.report.row(
    'GET /me (valid session) ÷ bare NestJS {ok:true}, express adapter, database path (SESSION_CACHE_SIZE=0: every check queries PostgreSQL)',
    'reported',
    fmt(median(s.meDbRatios)),
    null,
    `/me ${fmt(median(s.meDbRates), 0)} req/s; rounds ${rounds(s.meDbRatios)}`,
  );
  ctx.report.row(
    'GET /me (valid session) ÷ bare NestJS {ok:true}, fastify adapter (reference)',
    'reported',
    fmt(median(s.fastifyRatios)),
    null,
    `bare fastify ${fmt(median(s.fastifyRates), 0)} req/s; rounds ${rounds(s.fastifyRatios)}`,
  );
  const invalidRatio = median(s.invalidRatios);
  ctx.report.row(
    'GET /me with a forged token (new each request) ÷ GET /me valid (req/s)',
    '≥ 1.0',
    fmt(invalidRatio),
    invalidRatio >= 1.0,
    `invalid ${fmt(median(s.invalidRates), 0)} req/s; rounds ${rounds(s.invalidRatios)}`,
  );
}

export async function measureMe(ctx: BenchContext): Promise<void> {
  const s: Series = {
    meRates: [],
    meDbRatios: [],
    meDbRates: [],
    invalidRates: [],
    expressRates: [],
    fastifyRates: [],
    meRatios: [],
    fastifyRatios: [],
    invalidRatios: [],
  };
  const { rounds } = ctx.options.plan;
  for (let r = 0; r < rounds; r++) {
    log(`GET /me vs bare routes, round ${r + 1}/${rounds}`);
    const rates = await round(ctx, r);
    s.meRates.push(rates.me);
    s.invalidRates.push(rates.invalid);
    s.expressRates.push(rates.express);
    s.fastifyRates.push(rates.fastify);
    s.meRatios.push(rates.me / rates.express);
    s.meDbRates.push(rates.meDb);
    s.meDbRatios.push(rates.meDb / rates.express);
    s.fastifyRatios.push(rates.me / rates.fastify);
    s.invalidRatios.push(rates.invalid / rates.me);
  }
  addRows(ctx, s);
}
