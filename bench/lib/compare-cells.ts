/**
 * The cells of a comparison: each quantity taken on one build's instance, the two builds of an
 * engine one right after the other, in an order that rotates from round to round.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Instance } from './compare-setup';
import { benchEmail, deliveryEmail, deviceToken, sessionToken } from './database';
import { cannon, closedLoop, postJson } from './load';
import { ServerProcess, sleep } from './processes';
import { log } from './report';
import { BenchSmtpSink } from './sinks';
import {
  DELIVERY_RATE,
  DELIVERY_WARM_USERS,
  EngineId,
  LOGIN_CONCURRENCY,
  ME_CONNECTIONS,
  PASSWORD,
  Plan,
  SALT,
  SMALL_USERS,
} from './settings';
import { percentile, Samples } from './stats';

/** What the cells need besides the instance: the plan, the SMTP sink, the sizes of this mode. */
export interface CellContext {
  plan: Plan;
  smtp: BenchSmtpSink;
  /** Codes per delivery cell. */
  codes: number;
  /** GET /me requests (half valid, half forged) per memory cell. */
  rssRequests: number;
}

export interface Cell {
  key: string;
  label: string;
  unit: string;
  digits: number;
  /** true: higher is better (rates); false: lower is better (times, memory). */
  higherBetter: boolean;
  /** The engines it is taken on (all by default). */
  engines?: EngineId[];
  run: (cc: CellContext, inst: Instance, round: number) => Promise<number>;
}

const WAIT_MS = 15_000;
const validToken = (): string => sessionToken(SALT, 1 + Math.floor(Math.random() * SMALL_USERS));
const forgedToken = (): string => randomBytes(48).toString('base64url');

const nextUser = new Map<ServerProcess, number>();
/** A trusted-device password login (200 with a session), users 1..700 in turn per instance. */
async function trustedLogin(server: ServerProcess): Promise<void> {
  const n = nextUser.get(server) ?? 0;
  nextUser.set(server, n + 1);
  const i = 1 + (n % 700);
  const res = await postJson(`${server.url}/api/v1/auth/login`, {
    ...{ email: benchEmail(i), password: PASSWORD },
    deviceToken: deviceToken(SALT, i),
  });
  if (res.status !== 200) throw new Error(`${server.name}: trusted login answered ${res.status}`);
}

async function meRate(cc: CellContext, server: ServerProcess, forged: boolean): Promise<number> {
  const load = {
    ...{ url: server.url, path: '/api/v1/me', connections: ME_CONNECTIONS },
    token: forged ? forgedToken : validToken,
  };
  // As in measures/me.ts: the same requests untimed first, so that the cell measures checks of
  // sessions seen within SESSION_CACHE_TTL_MS, not the refill of entries expired since the last
  // round.
  await cannon({ ...load, duration: cc.plan.cellWarmSeconds });
  const result = await cannon({ ...load, duration: cc.plan.meSeconds });
  const expected = forged ? '401' : '200';
  if (Object.keys(result.byStatus).some((status) => status !== expected))
    throw new Error(`${server.name}: GET /me answered ${JSON.stringify(result.byStatus)}`);
  return result.perSecond;
}

/** Delivery user `user`'s login: ms from its 202 to the SMTP sink's acceptance (null: lost). */
async function deliverCode(cc: CellContext, server: ServerProcess, user: number) {
  const email = deliveryEmail(user);
  const since = performance.now();
  const res = await postJson(`${server.url}/api/v1/auth/login`, { email, password: PASSWORD });
  if (res.status !== 202)
    throw new Error(`${server.name}: login for a code answered ${res.status}`);
  const accepted = await cc.smtp.acceptedAfter(email, since, WAIT_MS);
  return accepted === null ? null : accepted - res.at;
}

/** cc.codes logins for a code at DELIVERY_RATE (new users each round): the p50 in ms. */
async function deliveryP50(cc: CellContext, server: ServerProcess, round: number) {
  const pending: Promise<number | null>[] = [];
  const t0 = performance.now();
  for (let k = 0; k < cc.codes; k++) {
    const wait = t0 + (k * 1000) / DELIVERY_RATE - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(deliverCode(cc, server, round * cc.codes + k + 1));
  }
  const delays = await Promise.all(pending);
  if (delays.includes(null)) throw new Error(`${server.name}: a code not delivered in 15 s`);
  return percentile(delays as number[], 50);
}

/** cc.rssRequests GET /me, half valid, half forged; then RSS (MB) after 500 ms. */
async function rssAfter(cc: CellContext, server: ServerProcess): Promise<number> {
  let sent = 0;
  await cannon({
    ...{ url: server.url, path: '/api/v1/me', connections: ME_CONNECTIONS },
    amount: cc.rssRequests,
    token: () => (sent++ % 2 ? forgedToken() : validToken()),
  });
  await sleep(500);
  return server.rssMb();
}

export const CELLS: Cell[] = [
  {
    ...{ key: 'me', label: 'GET /me, valid session (req/s)', unit: '', digits: 0 },
    higherBetter: true,
    run: (cc, inst) => meRate(cc, inst.server, false),
  },
  {
    ...{
      key: 'me-db',
      label: 'GET /me, valid session, database path (req/s)',
      unit: '',
      digits: 0,
    },
    ...{ higherBetter: true, engines: ['postgres'] },
    run: (cc, inst) => meRate(cc, inst.dbServer!, false),
  },
  {
    ...{ key: 'forged', label: 'GET /me, forged token (req/s)', unit: '', digits: 0 },
    higherBetter: true,
    run: (cc, inst) => meRate(cc, inst.server, true),
  },
  {
    ...{ key: 'login', label: 'Trusted-device password login (logins/s)', unit: '', digits: 2 },
    higherBetter: true,
    run: async (cc, inst) =>
      cc.plan.loginCount /
      (await closedLoop(cc.plan.loginCount, LOGIN_CONCURRENCY, () => trustedLogin(inst.server))),
  },
  {
    ...{ key: 'delivery', label: 'Code delivery p50, 202 → SMTP (ms)', unit: ' ms', digits: 1 },
    higherBetter: false,
    run: (cc, inst, round) => deliveryP50(cc, inst.server, round),
  },
  {
    ...{ key: 'rss', label: 'RSS after each round (MB)', unit: ' MB', digits: 0 },
    higherBetter: false,
    run: (cc, inst) => rssAfter(cc, inst.server),
  },
];

/**
 * The same warm-up for every instance: logins, GET /me (valid and forged), and a few codes sent
 * at once to open the SMTP pool (users after those of the rounds).
 */
export async function warmUp(cc: CellContext, instances: Instance[]): Promise<void> {
  const warmMe = (server: ServerProcess) =>
    cannon({
      ...{ url: server.url, path: '/api/v1/me', connections: ME_CONNECTIONS },
      duration: cc.plan.warmSeconds,
      token: validToken,
    });
  for (const { server, dbServer } of instances) {
    log(`warming up ${server.name}${dbServer ? ` and ${dbServer.name}` : ''}`);
    for (let k = 0; k < LOGIN_CONCURRENCY; k++) await trustedLogin(server);
    await warmMe(server);
    if (dbServer) await warmMe(dbServer);
    await meRate({ ...cc, plan: { ...cc.plan, meSeconds: 1 } }, server, true);
    const first = cc.plan.rounds * cc.codes + 1;
    const users = Array.from({ length: DELIVERY_WARM_USERS }, (_, k) => first + k);
    const delays = await Promise.all(users.map((user) => deliverCode(cc, server, user)));
    if (delays.includes(null)) throw new Error(`${server.name}: warm-up code not delivered`);
  }
}

export const sampleKey = (cell: Cell, engine: string, side: string): string =>
  `${cell.key}|${engine}|${side}`;

/**
 * `rounds` rounds; in each, every cell on each engine for both builds, one right after the
 * other, the build that goes first alternating with the round, the cell and the engine.
 */
export async function runRounds(
  cc: CellContext,
  instances: Instance[],
  samples: Samples,
  roundDone: (rounds: number) => void,
): Promise<void> {
  const engines = [...new Set(instances.map((i) => i.engine))];
  for (let round = 0; round < cc.plan.rounds; round++) {
    log(`round ${round + 1} of ${cc.plan.rounds}`);
    for (const [ci, cell] of CELLS.entries()) {
      for (const [ei, engine] of engines.entries()) {
        if (cell.engines && !cell.engines.includes(engine)) continue;
        const pair = instances.filter((i) => i.engine === engine);
        if ((round + ci + ei) % 2 === 1) pair.reverse();
        for (const inst of pair) {
          const value = await cell.run(cc, inst, round);
          samples.push(sampleKey(cell, engine, inst.build.side), value);
        }
      }
    }
    roundDone(round + 1);
  }
}
