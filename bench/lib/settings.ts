import { randomBytes } from 'node:crypto';
import { THREADPOOL_SIZE } from '../../src/config/threadpool';

/** The measures, in the order they run; `--only=` names some of them. */
export const MEASURE_NAMES = ['login', 'me', 'timing', 'growth', 'delivery', 'memory'] as const;
export type MeasureName = (typeof MEASURE_NAMES)[number];

/** The database engines the service runs on; every measure of the service runs on each. */
export const ENGINE_IDS = ['postgres', 'sqlite'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];
export const ENGINE_LABELS: Record<EngineId, string> = {
  postgres: 'PostgreSQL',
  sqlite: 'SQLite',
};

export type Adapter = 'express' | 'fastify';

/** How long and how often each measure runs. */
export interface Plan {
  rounds: number;
  loginCount: number;
  meSeconds: number;
  /** The untimed pass before each GET /me cell (see measures/me.ts). */
  cellWarmSeconds: number;
  warmSeconds: number;
  pairs: number;
  growthSeconds: number;
  growthLogins: number;
  deliverySeconds: number;
  /** The quiet spell before the last code of the delivery measure. */
  quietSeconds: number;
  rssRound: number;
}

/** Quick mode: short rounds, a short quiet spell (a smoke test of a few minutes). */
const QUICK_PLAN: Plan = {
  rounds: 3,
  loginCount: 8,
  meSeconds: 1.5,
  cellWarmSeconds: 0.5,
  warmSeconds: 4,
  pairs: 3,
  growthSeconds: 1,
  growthLogins: 2,
  deliverySeconds: 5,
  quietSeconds: 15,
  rssRound: 5_000,
};

const FULL_PLAN: Plan = {
  rounds: 5,
  loginCount: 32,
  meSeconds: 5,
  cellWarmSeconds: 2,
  warmSeconds: 5,
  pairs: 8,
  growthSeconds: 4,
  growthLogins: 8,
  deliverySeconds: 30,
  quietSeconds: 60,
  rssRound: 50_000,
};

export interface Options {
  quick: boolean;
  /** `--only=login,me` runs some of the measures; undefined: all of them. */
  only?: string[];
  /** `--engines=sqlite` runs the service on some of the engines; both by default. */
  engines: EngineId[];
  plan: Plan;
}

const listOption = (argv: string[], name: string): string[] | undefined =>
  argv
    .find((arg) => arg.startsWith(`--${name}=`))
    ?.slice(`--${name}=`.length)
    .split(',');

/** `--quick`, `--only=login,me,...` and `--engines=postgres,sqlite` (see bench/README.md). */
export function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const only = listOption(argv, 'only');
  const unknown = only?.filter((name) => !(MEASURE_NAMES as readonly string[]).includes(name));
  if (unknown?.length) throw new Error(`--only: unknown measure ${unknown.join(', ')}`);
  const engines = (listOption(argv, 'engines') ?? [...ENGINE_IDS]) as EngineId[];
  if (!engines.length || engines.some((id) => !ENGINE_IDS.includes(id)))
    throw new Error(`--engines: one or more of ${ENGINE_IDS.join(', ')}`);
  // In the order of ENGINE_IDS, whatever the order given.
  const ordered = ENGINE_IDS.filter((id) => engines.includes(id));
  return { quick, only, engines: ordered, plan: quick ? QUICK_PLAN : FULL_PLAN };
}

export const wanted = (options: Options, measure: MeasureName): boolean =>
  !options.only || options.only.includes(measure);

export const BCRYPT_ROUNDS = Number(process.env.BENCH_BCRYPT_ROUNDS ?? 12);
/** The cost of the users of the code-delivery measure (see README: 10 logins/s at cost 12 exceed the CPU). */
export const DELIVERY_BCRYPT_ROUNDS = 10;
export const LOGIN_CONCURRENCY = 8;
export const ME_CONNECTIONS = 10;
export const GROWTH_CONNECTIONS = 4;
export const DELIVERY_RATE = 10;
/** Delivery users whose codes open the service's SMTP connections before the clock runs. */
export const DELIVERY_WARM_USERS = 3;
export const SMALL_USERS = 1_000;
export const LARGE_USERS = 100_000;
export const PASSWORD = `Bench-${randomBytes(9).toString('base64url')}`;
export const SALT = randomBytes(6).toString('hex');
export const RUN_ID = `${process.pid}`;
/** The service runs with the production image's NODE_OPTIONS (see Dockerfile). */
export const SERVICE_NODE_OPTIONS =
  process.env.BENCH_SERVICE_NODE_OPTIONS ?? '--max-old-space-size=160';
/**
 * The adapter the service runs on (fastify; BENCH_SERVICE_ADAPTER to compare another build): it
 * chooses which bare NestJS route the GET /me target compares with. Nothing else depends on it.
 */
export const SERVICE_ADAPTER = parseAdapter(process.env.BENCH_SERVICE_ADAPTER ?? 'fastify');
function parseAdapter(value: string): Adapter {
  if (value !== 'express' && value !== 'fastify')
    throw new Error(`BENCH_SERVICE_ADAPTER must be express or fastify (got ${value})`);
  return value;
}
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The service's threadpool size on this machine (UV_THREADPOOL_SIZE if set, else the cores). */
export const THREADPOOL = THREADPOOL_SIZE;
export const METRICS_TOKEN = randomBytes(24).toString('base64url');
